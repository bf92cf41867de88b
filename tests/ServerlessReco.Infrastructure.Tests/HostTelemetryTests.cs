using System.Text.Json;

namespace ServerlessReco.Infrastructure.Tests;

/// <summary>
/// The Functions host writes one Application Insights "requests" row per invocation (log category Host.Results) with
/// the request URL, and the user routes carry the shopper's raw id in their path: those rows are turned off, while
/// Host.Aggregator keeps counts, success rates and durations per function.
/// </summary>
public class HostTelemetryTests
{
    [Fact]
    public void RequestRowsWithUrlsAreOffAndAggregatedMetricsStayOn()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryLayout.PathOf("host.json")));
        var levels = host.RootElement.GetProperty("logging").GetProperty("logLevel");

        Assert.Equal("None", levels.GetProperty("Host.Results").GetString());
        Assert.Equal("Information", levels.GetProperty("Host.Aggregator").GetString());
    }
}
