using Microsoft.Extensions.Logging;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// A value loaded in the background and kept: readers get the current one at once and, at most once per
/// interval, start a reload that swaps it in atomically when done. Only a reader that finds nothing loaded yet
/// waits, and at most <c>firstWait</c>. A failed load keeps the previous value and is retried after the interval; a first
/// load is tried a few times at once and, when all failed, again a second later.
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

    /// <summary>
    /// How often a first load is tried at once, and how soon it is due again after all failed: with nothing loaded, requests
    /// would serve empty lists until the interval (minutes) is over, so a store that blinked is asked again at once.
    /// </summary>
    private const int FirstLoadAttempts = 3;

    private static readonly TimeSpan FirstLoadRetry = TimeSpan.FromSeconds(1);

    private async Task<T?> LoadWithFirstRetriesAsync(T? previous)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await load(previous, CancellationToken.None);
            }
            catch (Exception e) when (previous is null && attempt < FirstLoadAttempts)
            {
                logger.LogDebug(e, "Serving could not load {What} (attempt {Attempt}); trying again", what, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt)); // real time: a test's frozen clock must not hold a load
            }
        }
    }

    private async Task LoadAsync()
    {
        var started = time.GetTimestamp();
        try
        {
            var previous = Value;
            var next = await LoadWithFirstRetriesAsync(previous);
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
            if (Value is null && interval > FirstLoadRetry)
            {
                lock (_gate)
                {
                    _lastStart = time.GetUtcNow() - interval + FirstLoadRetry; // due again in a second, not after the interval
                }
            }
        }
        finally
        {
            // After the first attempt, success or not, nobody waits again: they get what there is.
            Volatile.Write(ref _attempted, true);
        }
    }
}
