using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ServerlessReco.Functions.Http;
using ServerlessReco.Hosting;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Functions.Tests.Errors;

/// <summary>
/// A store fault is an honest 503 with Retry-After in both hosts' error handler, a bug stays a 500: the exceptions are
/// the ones the SDKs throw (Cosmos DB, Azure.Core for Blob, Microsoft.Data.Sqlite, the HTTP stack).
/// </summary>
public sealed class StoreFaultAnswerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> TransientFaults => [.. Transient.Keys];

    private static readonly Dictionary<string, Exception> Transient = new()
    {
        ["cosmos 429 after the SDK's retries"] = new CosmosException("Request rate is large on account reco-prod", HttpStatusCode.TooManyRequests, 3200, "a", 0),
        ["cosmos 503"] = new CosmosException("unavailable", HttpStatusCode.ServiceUnavailable, 0, "a", 0),
        ["cosmos 408"] = new CosmosException("timeout", HttpStatusCode.RequestTimeout, 0, "a", 0),
        ["cosmos 410 partition moved"] = new CosmosException("gone", HttpStatusCode.Gone, 1002, "a", 0),
        ["blob 503"] = new RequestFailedException(503, "server busy"),
        ["blob 429"] = new RequestFailedException(429, "throttled"),
        ["blob without a response"] = new RequestFailedException(0, "connection reset"),
        ["sqlite busy"] = new SqliteException("database is locked", 5),
        ["a dropped connection"] = new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset)),
        ["an SDK timeout"] = new TaskCanceledException("the request timed out"),
        ["a fault inside a parallel write"] = new AggregateException(new InvalidOperationException("outer", new CosmosException("x", HttpStatusCode.ServiceUnavailable, 0, "a", 0))),
    };

    public static TheoryData<string> Bugs => [.. NotTransient.Keys];

    private static readonly Dictionary<string, Exception> NotTransient = new()
    {
        ["a bug"] = new InvalidOperationException("bug"),
        ["cosmos 404: a container that is not there"] = new CosmosException("missing", HttpStatusCode.NotFound, 0, "a", 0),
        ["cosmos 403: no role"] = new CosmosException("forbidden", HttpStatusCode.Forbidden, 0, "a", 0),
        ["blob 403"] = new RequestFailedException(403, "AuthorizationFailure"),
        ["sqlite read-only file"] = new SqliteException("readonly", 8),
        ["a missing model file"] = new FileNotFoundException("models/current.json"),
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public void AStoreFaultIsTransientWithTheDefaultWait(string fault)
    {
        Assert.True(StoreFaults.IsTransient(Transient[fault], out var retryAfter));
        Assert.Equal(StoreFaults.DefaultRetryAfter, retryAfter);
    }

    [Theory]
    [MemberData(nameof(Bugs))]
    public void AMisconfigurationOrABugIsNotTransient(string fault) =>
        Assert.False(StoreFaults.IsTransient(NotTransient[fault], out _));

    [Fact]
    public async Task AThrottledWriteInTheFunctionsAppAnswers503WithRetryAfterAndLogsAWarning()
    {
        var logs = new FakeLogCollector();
        var middleware = new UnexpectedErrorMiddleware(new FakeLogger<UnexpectedErrorMiddleware>(logs));
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };
        var context = new UnexpectedErrorTests.HttpFunctionContext("RecordEvents", http);

        await middleware.Invoke(context, _ => throw Transient["cosmos 429 after the SDK's retries"]);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal(Problems.ContentType, http.Response.ContentType);
        Assert.Equal("2", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        var body = JsonDocument.Parse(await new StreamReader(http.Response.Body).ReadToEndAsync(Cancel)).RootElement;
        Assert.Equal(503, body.GetProperty("status").GetInt32());
        Assert.Equal(context.InvocationId, body.GetProperty("correlationId").GetString());
        Assert.DoesNotContain("reco-prod", body.ToString(), StringComparison.Ordinal);
        var logged = Assert.Single(logs.GetSnapshot(), r => r.Exception is not null);
        Assert.Equal(LogLevel.Warning, logged.Level);
    }

    [Fact]
    public async Task AnUnavailableEventStoreInTheLocalHostAnswers503WithRetryAfterAndStoresNothingTwice()
    {
        var folder = Directory.CreateTempSubdirectory("reco-faults-").FullName;
        await using var app = LocalFunctionsHost.Build(
            ["--urls", "http://127.0.0.1:0", $"--Embedded:DataDirectory={folder}", "--Logging:LogLevel:Default=Warning"],
            builder => builder.Services.AddSingleton<Core.Storage.IEventStore>(UnavailableStore.Create<Core.Storage.IEventStore>()));
        await app.StartAsync(Cancel);
        try
        {
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            using var response = await client.PostAsync("/api/events",
                new StringContent("""{"userId":"u1","itemId":"i1","type":"view"}""", System.Text.Encoding.UTF8, "application/json"), Cancel);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(Problems.ContentType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        }
        finally
        {
            await app.StopAsync(Cancel);
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A store whose every call meets Cosmos DB's 503, as an outage looks to the SDK's caller.</summary>
    public class UnavailableStore : System.Reflection.DispatchProxy
    {
        public static T Create<T>()
            where T : class => Create<T, UnavailableStore>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            throw new CosmosException("Service is currently unavailable", HttpStatusCode.ServiceUnavailable, 0, "activity", 0);
    }
}
