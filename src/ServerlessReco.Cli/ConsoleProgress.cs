using Spectre.Console;

namespace ServerlessReco.Cli;

/// <summary>How far long work has got, as a person reads it: a line of text, and the fraction done when it is known.</summary>
public readonly record struct ProgressLine(string Text, double? Fraction = null);

/// <summary>
/// The CLI's one progress reporter for long work (import, simulation, training). On an interactive terminal: a
/// Spectre.Console progress bar, filled by the fraction done when a report knows it, moving otherwise, with the
/// reports that are messages (no fraction) written above it. When the output is redirected (or is a test's
/// writer): each report as a plain line, at most one per <c>minimumInterval</c>. Reports may come from the
/// worker's threads (SAR trains items in parallel), so each one is handled whole under a lock.
/// Core reports through <see cref="IProgress{T}"/> and knows nothing of this.
/// </summary>
public sealed class ConsoleProgress<T> : IProgress<T>
{
    private readonly Func<T, ProgressLine> _describe;
    private readonly TextWriter? _lines;
    private readonly TimeSpan _minimumInterval;
    private readonly IAnsiConsole? _console;
    private readonly ProgressTask? _bar;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private long _lastLine;

    private ConsoleProgress(Func<T, ProgressLine> describe, TextWriter? lines, TimeSpan minimumInterval, IAnsiConsole? console, ProgressTask? bar, TimeProvider clock)
    {
        _describe = describe;
        _lines = lines;
        _minimumInterval = minimumInterval;
        _console = console;
        _bar = bar;
        _clock = clock;
        _lastLine = clock.GetTimestamp();
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a reporter writing to <paramref name="writer"/>: a bar titled
    /// <paramref name="title"/> when the writer is this process's own terminal, plain lines otherwise.
    /// </summary>
    public static Task<TResult> RunAsync<TResult>(
        TextWriter writer, string title, Func<T, ProgressLine> describe, TimeSpan minimumInterval, Func<IProgress<T>, Task<TResult>> work) =>
        RunAsync(InteractiveConsole(writer), writer, title, describe, minimumInterval, TimeProvider.System, work);

    /// <summary>The same with the terminal (null: plain lines to <paramref name="writer"/>) and the clock given, for tests.</summary>
    internal static async Task<TResult> RunAsync<TResult>(
        IAnsiConsole? terminal, TextWriter writer, string title, Func<T, ProgressLine> describe, TimeSpan minimumInterval, TimeProvider clock,
        Func<IProgress<T>, Task<TResult>> work)
    {
        if (terminal is not { } console)
        {
            return await work(new ConsoleProgress<T>(describe, writer, minimumInterval, null, null, clock)).ConfigureAwait(false);
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Markup.Escape(title));
                bar.IsIndeterminate = true;
                var result = await work(new ConsoleProgress<T>(describe, null, TimeSpan.Zero, console, bar, clock)).ConfigureAwait(false);
                bar.IsIndeterminate = false;
                bar.Value = bar.MaxValue;
                bar.StopTask();
                return result;
            }).ConfigureAwait(false);
    }

    public void Report(T value)
    {
        var line = _describe(value);
        lock (_lock)
        {
            if (_bar is not null)
            {
                ShowOnBar(line);
            }
            else if (_clock.GetElapsedTime(_lastLine) >= _minimumInterval)
            {
                _lastLine = _clock.GetTimestamp();
                _lines!.WriteLine(line.Text);
            }
        }
    }

    private void ShowOnBar(ProgressLine line)
    {
        if (line.Fraction is { } fraction)
        {
            _bar!.IsIndeterminate = false;
            _bar.Value = Math.Clamp(fraction, 0, 1) * _bar.MaxValue;
            _bar.Description = Markup.Escape(line.Text.Trim());
        }
        else
        {
            _console!.WriteLine(line.Text);
        }
    }

    /// <summary>A Spectre console on <paramref name="writer"/> if that is this process's own interactive terminal; null otherwise.</summary>
    private static IAnsiConsole? InteractiveConsole(TextWriter writer)
    {
        var terminal = (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected)
            || (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected);
        if (!terminal)
        {
            return null;
        }

        // Interactive because it is a terminal (Spectre's own guess looks at standard output, which may be redirected
        // while progress goes to standard error); a terminal that cannot move the cursor still gets plain lines.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.Yes });
        return console.Profile.Capabilities.Ansi ? console : null;
    }
}
