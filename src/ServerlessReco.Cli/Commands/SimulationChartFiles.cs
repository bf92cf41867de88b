using ServerlessReco.Lab.Charts;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Cli.Commands;

/// <summary>The charts <c>reco simulate</c> and <c>reco simulate-http</c> draw with <c>--chart FILE.svg</c>: means over seeds, one line per policy.</summary>
internal static class SimulationChartFiles
{
    /// <summary>Clicks so far in <paramref name="chart"/>, distinct items shown so far beside it (name-coverage.svg), each day's share of the oracle's expected clicks (name-oracle.svg).</summary>
    public static async Task WriteAsync(MultiSeedStudyResult study, string chart, string way, TextWriter output, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(chart)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        string Beside(string suffix) =>
            Path.Combine(Path.GetDirectoryName(chart) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(chart)}-{suffix}{Path.GetExtension(chart)}");
        var (coverage, oracle) = (Beside("coverage"), Beside("oracle"));
        var runs = study.MeanRuns;
        var over = study.Seeds.Count == 1 ? $"{study.World}{way}" : $"{study.World}{way}, mean of {study.Seeds.Count} seeds";
        await File.WriteAllTextAsync(chart, SimulationChart.Svg(runs, title: $"Clicks over the simulated days ({over})"), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(coverage, SimulationChart.CoverageSvg(runs, title: $"Distinct items shown ({over})"), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(oracle, SimulationChart.OracleShareSvg(runs, title: $"Expected clicks per day ÷ the oracle's ({over})"), cancellationToken).ConfigureAwait(false);
        output.WriteLine($"charts: {chart}, {coverage}, {oracle}");
    }
}
