using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Models;

using ServerlessReco.Lab.Charts;
namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco models</c>: the stored versions with their hold-out metrics, and optionally a chart of them.</summary>
public sealed class ModelsCommand : ICliCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;

    public ModelsCommand()
        : this(environment: null)
    {
    }

    public ModelsCommand(IEnumerable<KeyValuePair<string, string?>>? environment) => _environment = environment;

    public string Name => "models";

    public string Summary => "list model versions with their hold-out metrics (--chart FILE.svg draws them)";

    public string Usage => $"""
        reco models [--chart FILE.svg] [--data-dir DIR]

        Lists every stored version, newest first: '*' marks the one serving, then the model kind, events trained on, and
        nDCG@10, precision@10 and catalogue coverage on the hold-out of its retrain, and whether it passed the gate.
          --chart FILE.svg       also draw nDCG@10, precision@10 and coverage across versions (oldest left) as SVG
        {CliServices.ShortcutUsage}
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var chart = arguments.Option("chart");
        await using var services = await CliServices.BuildAsync(arguments, _environment, cancellationToken);
        CliUsage.RejectUnread(arguments);
        var versions = await services.GetRequiredService<ModelRegistry>().ListAsync(cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            output.WriteLine("no model versions yet; `reco retrain` trains one");
        }
        else
        {
            output.WriteLine("  version                   kind        events  nDCG@10    P@10  coverage  gate");
            foreach (var v in versions)
            {
                var m = v.Metrics;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(v.IsCurrent ? "*" : " ")} {v.Version,-24} {m?.ModelKind ?? "?",-6} {m?.Events ?? 0,11:N0} {Figure(m?.Scores?.Ndcg)} {Figure(m?.Scores?.Precision)} {Figure(m?.Scores?.Coverage),9}  {Gate(v)}"));
            }
        }

        if (chart is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(chart))!);
            await File.WriteAllTextAsync(chart, ModelChart.Svg(versions), cancellationToken).ConfigureAwait(false);
            output.WriteLine($"chart written to {chart}");
        }

        return 0;
    }

    private static string Figure(double? value) =>
        value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture).PadLeft(7) : "      –";

    private static string Gate(ModelVersionInfo version) => version.Metrics switch
    {
        null => version.HasArtifact ? "no metrics" : "incomplete",
        { PassedGate: true } => "passed",
        _ => "failed",
    };
}
