using Microsoft.Extensions.Logging;

namespace ServerlessReco.Cli;

/// <summary>Writes a service's structured log messages, formatted, to a command's output.</summary>
public sealed class TextWriterLogger<T>(TextWriter output, TimeProvider clock) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch { LogLevel.Warning => "warn", LogLevel.Error or LogLevel.Critical => "fail", _ => "info" };
        output.WriteLine($"{clock.GetUtcNow():HH:mm:ss} {level} {formatter(state, exception)}");
        if (exception is not null)
        {
            output.WriteLine($"         {exception.GetType().Name}: {exception.Message}");
        }
    }
}
