using System.Globalization;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>The tables <c>reco simulate</c> and <c>reco simulate-http</c> print alike: the shop, and each policy's figures against the baseline.</summary>
internal static class SimulationTable
{
    /// <param name="handBuilt">False for the MovieLens world, whose shoppers and items come from the data, not the options.</param>
    public static void WriteShop(ServingSimulationOptions o, TextWriter output, bool handBuilt = true) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {o.Seed}: {o.Rounds} days × {o.RequestsPerRound} lists of {o.ListSize}, {(handBuilt ? $"{o.Users} shoppers, {o.InitialItems} items + {o.NewItemsPerRound} a day, " : string.Empty)}retrain every {o.RetrainEvery} days{Shift(o)}"));

    private static string Share(double share) => double.IsNaN(share) ? "–" : share.ToString("0.0%", CultureInfo.InvariantCulture);

    /// <summary>", tastes change on day D" when the hand-built world's tastes shift, else nothing.</summary>
    public static string Shift(ServingSimulationOptions o) =>
        o.TasteShiftDay is { } day ? string.Create(CultureInfo.InvariantCulture, $", tastes change on day {day}") : string.Empty;

    /// <summary>One row per run: clicks, regret, coverage and Gini, the ratios against <paramref name="baseline"/>.</summary>
    public static void WritePolicies(IEnumerable<ServingSimulationRun> runs, ServingSimulationRun baseline, string baselineName, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"| policy | clicks | × {baselineName} | expected clicks | share of the oracle's | regret vs oracle | coverage | × {baselineName} | exposure Gini | models promoted |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var b = baseline.Result;
        foreach (var run in runs)
        {
            var r = run.Result;
            output.WriteLine(string.Create(c,
                $"| {r.Policy} | {r.CumulativeReward:N0} | {r.CumulativeReward / b.CumulativeReward:0.00} | {r.ExpectedReward:N0} | {Share(r.OracleShare)} | {r.Regret:N0} | {r.Coverage:0.000} | {r.Coverage / b.Coverage:0.00} | {r.ExposureGini:0.000} | {run.Promotions} of {run.Retrains} |"));
        }
    }
}
