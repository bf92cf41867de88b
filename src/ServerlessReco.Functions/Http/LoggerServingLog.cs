using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Functions.Http;

/// <summary>Serving's background reports as structured log entries.</summary>
public sealed class LoggerServingLog(ILogger<RecommendationService> logger) : IServingLog
{
    public void Loaded(string what, string detail, TimeSpan took) =>
        logger.LogInformation("Serving loaded {What}: {Detail} in {Milliseconds} ms", what, detail, (long)took.TotalMilliseconds);

    public void Failed(string what, Exception error) =>
        logger.LogWarning(error, "Serving could not load {What}; it goes on with what it has", what);
}
