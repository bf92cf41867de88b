using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Functions.Http;

/// <summary>Serving's background reports as structured log entries.</summary>
public sealed class LoggerServingLog(ILogger<RecommendationService> logger) : IServingLog
{
    // A new model is news; the catalogue and trending are re-read every few minutes and would flood the log.
    public void Loaded(string what, string detail, TimeSpan took) =>
        logger.Log(what == "model" ? LogLevel.Information : LogLevel.Debug, "Serving loaded {What}: {Detail} in {Milliseconds} ms", what, detail, (long)took.TotalMilliseconds);

    public void Failed(string what, Exception error) =>
        logger.LogWarning(error, "Serving could not load {What}; it goes on with what it has", what);
}
