using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco exploration</c>: online click-through per policy and slot kind, and off-policy estimates of other rates.</summary>
public sealed class ExplorationCommand : RecoCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly StoreOptions _store = new();
    private readonly Option<int> _days = new("--days")
    {
        HelpName = "N",
        Description = $"the window, {ExplorationArguments.MinDays} to {ExplorationArguments.MaxDays} days",
        DefaultValueFactory = _ => ExplorationArguments.DefaultDays,
    };
    private readonly Option<double[]?> _rates = new("--rates")
    {
        HelpName = "LIST",
        Description = "exploration rates to estimate, comma-separated (default 0,0.05,0.1,0.2,0.3,0.5 and the configured one)",
        CustomParser = ParseRates,
    };

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public ExplorationCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("exploration", "Online click-through per policy and slot kind, and off-policy estimates of other exploration rates.")
    {
        _environment = environment;
        Details = $"""
            Reads the logged recommendation lists (impression events) of the last days and the clicks, add-to-carts and
            purchases that cite them, and prints what each policy and slot kind earned online, then what epsilon-greedy at
            each rate would have earned on the same traffic (IPS and self-normalised IPS, per served slot).
            {StoreOptions.EnvironmentNote}
            """;
        Add(_days.Within(ExplorationArguments.MinDays, ExplorationArguments.MaxDays));
        Add(_rates);
        _store.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var days = parsed.GetValue(_days);
        var rates = parsed.GetValue(_rates);
        await using var services = await CliServices.BuildAsync(parsed, _store, _environment, cancellationToken);
        var serving = services.GetRequiredService<IOptions<ServingOptions>>().Value;
        var report = await ExplorationReport.ReadAsync(
            services.GetRequiredService<IServedListStore>(), services.GetRequiredService<IEventStore>(), services.GetRequiredService<TimeProvider>().GetUtcNow(), days,
            ExplorationEvaluationOptions.From(serving.ToExplorationSettings(), rates), cancellationToken).ConfigureAwait(false);
        Write(report, serving, output);
        return 0;
    }

    /// <summary>The HTTP route's rules (<see cref="ExplorationArguments.ParseRates"/>): NaN and infinities are refused too.</summary>
    private static double[]? ParseRates(ArgumentResult result)
    {
        if (ExplorationArguments.ParseRates(result.Tokens.Single().Value) is { } rates)
        {
            return [.. rates];
        }

        result.AddError($"--rates must be {ExplorationArguments.RatesRule}.");
        return null;
    }

    public static void Write(ExplorationReport report, ServingOptions serving, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{report.LoggedSlots:N0} logged slots from {report.Online.From:u} to {report.Online.To:u}; serving {serving.ExplorationPolicy} at explore {serving.Explore}"));
        if (report.LoggedSlots == 0)
        {
            output.WriteLine("no logged recommendation lists in the window: serve some (GET /api/users/{userId}/recommendations) first");
            return;
        }

        output.WriteLine();
        output.WriteLine("online policy          slots      lists  impressions  clicks     CTR (±95%)   cart rate  conversion");
        foreach (var r in report.Online.Rows)
        {
            output.WriteLine(string.Create(c,
                $"{r.Policy,-22} {r.SlotKind,-8} {r.Lists,7:N0} {r.Impressions,12:N0} {r.Clicks,7:N0}  {r.ClickThroughRate,7:P2} ±{r.ClickThroughRateMargin,6:P2}  {r.AddToCartRate,9:P2}  {r.ConversionRate,9:P2}"));
        }

        if (report.Online.UnattributedRewards > 0)
        {
            output.WriteLine(string.Create(c, $"({report.Online.UnattributedRewards:N0} clicks/carts/purchases cite a list but match no logged slot)"));
        }

        output.WriteLine();
        output.WriteLine("off-policy estimate of click-through per slot, epsilon-greedy at each rate");
        output.WriteLine("explore      IPS  (± s.e.)     SNIPS   effective sample");
        foreach (var e in report.Estimates)
        {
            output.WriteLine(string.Create(c,
                $"{e.Explore,7:0.00}  {e.Ips.Value,7:P2} ±{e.Ips.StandardError,6:P2}  {e.SelfNormalisedIps.Value,8:P2}  {e.Ips.EffectiveSampleSize,17:N0}{(Math.Abs(e.Explore - serving.Explore) < 1e-9 ? "   <- configured" : "")}"));
        }
    }
}
