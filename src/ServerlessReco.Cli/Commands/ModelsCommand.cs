using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Models;
using ServerlessReco.Lab.Charts;

namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco models</c>: the stored versions with their hold-out metrics, and optionally a chart of them.</summary>
public sealed class ModelsCommand : RecoCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly StoreOptions _store = new();
    private readonly Option<string?> _chart = new("--chart")
    {
        HelpName = "FILE.svg",
        Description = "also draw nDCG@10, precision@10 and coverage across versions (oldest left) as SVG",
    };

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public ModelsCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("models", "List model versions with their hold-out metrics (--chart FILE.svg draws them).")
    {
        _environment = environment;
        Details = $"""
            Lists every stored version, newest first: '*' marks the one serving, then the model kind, events trained on, and
            nDCG@10, precision@10 and catalogue coverage on the hold-out of its retrain, and whether it passed the gate.
            {StoreOptions.EnvironmentNote}
            """;
        Add(_chart);
        _store.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var chart = parsed.GetValue(_chart);
        await using var services = await CliServices.BuildAsync(parsed, _store, _environment, cancellationToken);
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
