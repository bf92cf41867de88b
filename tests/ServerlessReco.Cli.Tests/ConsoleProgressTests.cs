using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Testing;

namespace ServerlessReco.Cli.Tests;

public sealed class ConsoleProgressTests
{
    private static ProgressLine Rows(int rows) => new($"{rows} rows read", rows / 100.0);

    [Fact]
    public async Task RedirectedOutputGetsPlainLinesAtMostOncePerInterval()
    {
        var clock = new FakeTimeProvider();
        var lines = new StringWriter();

        var result = await ConsoleProgress<int>.RunAsync(null, lines, "import", Rows, TimeSpan.FromSeconds(1), clock, progress =>
        {
            foreach (var rows in new[] { 10, 20, 30, 40 })
            {
                clock.Advance(TimeSpan.FromMilliseconds(600));
                progress.Report(rows);
            }

            return Task.FromResult("done");
        });

        Assert.Equal("done", result);
        Assert.Equal(["20 rows read", "40 rows read"], lines.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ReportsFromManyThreadsArriveAsWholeLines()
    {
        var lines = new StringWriter();

        await ConsoleProgress<int>.RunAsync(null, lines, "train", i => new ProgressLine($"item {i} of 2000"), TimeSpan.Zero, TimeProvider.System, progress =>
        {
            Parallel.For(0, 2000, i => progress.Report(i));
            return Task.FromResult(0);
        });

        var written = lines.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2000, written.Length);
        Assert.All(written, l => Assert.Matches(@"^item \d+ of 2000$", l));
    }

    [Fact]
    public async Task AnInteractiveTerminalGetsABarFilledByTheFractionWithMessagesAboveIt()
    {
        var terminal = new TestConsole().Interactive().EmitAnsiSequences();
        terminal.Profile.Capabilities.Ansi = true;
        var lines = new StringWriter();

        await ConsoleProgress<ProgressLine>.RunAsync(terminal, lines, "simulate [all]", l => l, TimeSpan.Zero, TimeProvider.System, progress =>
        {
            progress.Report(new ProgressLine("exploitation: round 10/40"));
            progress.Report(new ProgressLine("  5,000 rows read [csv]", 0.5));
            return Task.FromResult(0);
        });

        var screen = terminal.Output;
        Assert.Empty(lines.ToString());
        Assert.Contains("exploitation: round 10/40", screen, StringComparison.Ordinal);
        Assert.Contains("5,000 rows read [csv]", screen, StringComparison.Ordinal); // escaped, not read as Spectre markup
        Assert.Contains("━", screen, StringComparison.Ordinal);                     // the bar itself
        Assert.Contains("100%", screen, StringComparison.Ordinal);                  // full once the work is done
    }
}
