using Microsoft.Extensions.Logging;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// A value loaded in the background and kept: readers get the current one at once and, at most once per
/// interval, start a reload that swaps it in atomically when done. Only a reader that finds nothing loaded yet
/// waits, and at most <c>firstWait</c>. A failed load keeps the previous value and is retried after the interval.
/// A new value is logged at <paramref name="loadedLevel"/> (a new model is news; the catalogue and trending are re-read
/// every few minutes and would flood the log), a failure as a warning.
/// </summary>
internal sealed class Refreshing<T>(
    string what,
    Func<T?, CancellationToken, Task<T?>> load,
    TimeSpan interval,
    TimeSpan firstWait,
    TimeProvider time,
    ILogger logger,
    LogLevel loadedLevel,
    Action? changed = null)
    where T : class
{
    private readonly Lock _gate = new();
    private T? _value;
    private Task? _loading;
    private DateTimeOffset _lastStart = DateTimeOffset.MinValue;
    private bool _attempted;

    public T? Value => Volatile.Read(ref _value);

    public bool Attempted => Volatile.Read(ref _attempted);

    /// <summary>The current value; starts a reload when due. Waits only until the first load was attempted.</summary>
    public async ValueTask<T?> GetAsync(CancellationToken cancellationToken)
    {
        var task = StartIfDue();
        if (!Attempted && task is not null)
        {
            try
            {
                await task.WaitAsync(firstWait, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Answer without it; the load goes on in the background.
            }
        }

        return Value;
    }

    /// <summary>Reloads now and waits (tests, benchmarks, warm-up).</summary>
    public Task RefreshAsync()
    {
        lock (_gate)
        {
            _lastStart = time.GetUtcNow();
            _loading = _loading is { IsCompleted: false } running ? running : Task.Run(LoadAsync);
            return _loading;
        }
    }

    private Task? StartIfDue()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_loading is { IsCompleted: false } running)
            {
                return running;
            }

            if (now - _lastStart < interval)
            {
                return null;
            }

            _lastStart = now;
            _loading = Task.Run(LoadAsync);
            return _loading;
        }
    }

    private async Task LoadAsync()
    {
        var started = time.GetTimestamp();
        try
        {
            var previous = Value;
            var next = await load(previous, CancellationToken.None);
            Volatile.Write(ref _value, next);
            if (!ReferenceEquals(previous, next))
            {
                logger.Log(loadedLevel, "Serving loaded {What}: {Detail} in {Milliseconds} ms", what, next?.ToString() ?? "none", (long)time.GetElapsedTime(started).TotalMilliseconds);
                changed?.Invoke();
            }
        }
        catch (Exception e)
        {
            // Serving goes on with the previous value (or none); the next attempt comes after the interval.
            logger.LogWarning(e, "Serving could not load {What}; it goes on with what it has", what);
        }
        finally
        {
            // After the first attempt, success or not, nobody waits again: they get what there is.
            Volatile.Write(ref _attempted, true);
        }
    }
}
