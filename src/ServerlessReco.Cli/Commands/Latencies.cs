using System.Diagnostics;

namespace ServerlessReco.Cli.Commands;

/// <summary>Per-request latency percentiles in microseconds.</summary>
internal sealed record Latency(double P50, double P90, double P99, double Max, double Mean);

/// <summary>
/// Times requests one after another (single-threaded, as one client would send them) after a warm-up, from a collected
/// heap with background collections preferred, as a server would run.
/// </summary>
internal static class Latencies
{
    public const int WarmUp = 500;

    public static Latency Time(int requests, Action<int> request) =>
        TimeAsync(requests, i =>
        {
            request(i);
            return ValueTask.CompletedTask;
        }).AsTask().GetAwaiter().GetResult();

    public static async ValueTask<Latency> TimeAsync(int requests, Func<int, ValueTask> request, int warmUp = WarmUp)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;
        for (var i = 0; i < warmUp; i++)
        {
            await request(i);
        }

        var micros = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await request(i);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return Of(micros);
    }

    public static Latency Of(double[] micros)
    {
        Array.Sort(micros);
        double At(double q) => micros[Math.Min(micros.Length - 1, (int)Math.Ceiling(q * micros.Length) - 1)];
        return new Latency(At(0.5), At(0.9), At(0.99), micros[^1], micros.Average());
    }
}
