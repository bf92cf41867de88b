using ServerlessReco.Lab.Benchmarks.NextItem;

namespace ServerlessReco.Cli.Commands;

/// <summary>The next-item part of `reco benchmark`: leave-last-out on the same ratings file, printed as it runs.</summary>
internal static class NextItemSection
{
    public static async Task<NextItemReport> RunAsync(string dataPath, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("Next item (leave-last-out, settings chosen on the second-to-last item):");
        var report = await NextItemRun.RunAsync(dataPath, new LineProgress(output), cancellationToken);
        output.WriteLine();
        return report;
    }

    /// <summary>Writes each report at once (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    private sealed class LineProgress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine("  " + value);
    }
}
