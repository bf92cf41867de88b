using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ServerlessReco.Functions.Http;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>The local host with an admin key, as a shop runs it on a shared machine.</summary>
public sealed class AdminKeyLocalHostFixture() : LocalHostFixture(["--LocalHost:AdminKey=guard-key"]);

/// <summary>
/// What the local host refuses because it runs next to a browser: bodies that are not JSON (415 on every route, so no
/// web page can post through the operator's browser without a preflight), host names other than loopback (400), any
/// /admin/* route without the admin key when one is set (401), and every request until it is ready (503).
/// </summary>
public sealed class LocalHostGuardsTests(AdminKeyLocalHostFixture host) : IClassFixture<AdminKeyLocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/events", "text/plain")]
    [InlineData("/api/events", "application/x-www-form-urlencoded")]
    [InlineData("/admin/functions/Retrain", "text/plain")]
    [InlineData("/admin/functions/Retrain", "multipart/form-data; boundary=x")]
    [InlineData("/api/manage/models/v1/promote", "text/plain")]
    public async Task ABodyThatIsNotJsonIsA415ProblemOnEveryRoute(string path, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"userId":"u","itemId":"i","type":"view"}""") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("x-functions-key", "guard-key");

        using var response = await host.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(Problems.ContentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnotherHostNameThanLoopbackIsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/trending");
        request.Headers.Host = "rebound.example";

        using var refused = await host.Client.SendAsync(request, Cancel);
        using var served = await host.Client.GetAsync("/api/trending", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/admin/functions")]
    [InlineData("POST", "/admin/functions/PurgeExpiredEvents")]
    [InlineData("POST", "/admin/serving/refresh")]
    public async Task EveryAdminRouteWantsTheAdminKeyWhenOneIsSet(string method, string path)
    {
        HttpRequestMessage Request(string? key)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            if (key is not null)
            {
                request.Headers.Add("x-functions-key", key);
            }

            return request;
        }

        using var without = await host.Client.SendAsync(Request(null), Cancel);
        using var wrong = await host.Client.SendAsync(Request("wrong-key"), Cancel);
        using var with = await host.Client.SendAsync(Request("guard-key"), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.True(with.IsSuccessStatusCode, $"{method} {path} with the key: {(int)with.StatusCode}");
    }

    [Fact]
    public async Task UntilItIsReadyEveryRequestIsA503WithRetryAfter()
    {
        var readiness = host.App.Services.GetRequiredService<LocalReadiness>();
        readiness.NotReady();
        try
        {
            using var starting = await host.Client.GetAsync("/api/trending", Cancel);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), starting.Headers.RetryAfter?.Delta);
            Assert.Equal(Problems.ContentType, starting.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            readiness.Ready();
        }

        using var ready = await host.Client.GetAsync("/api/trending", Cancel);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}

/// <summary>The request log at Information names no anonymous type of a JSON result.</summary>
public sealed class LocalHostRequestLogTests
{
    [Fact]
    public async Task TheInformationLogOfRequestsNamesNoAnonymousType()
    {
        var folder = Directory.CreateTempSubdirectory("reco-log-").FullName;
        await using var app = LocalFunctionsHost.Build(
            ["--urls", "http://127.0.0.1:0", $"--Embedded:DataDirectory={folder}", "--Logging:LogLevel:Default=Information"],
            builder => builder.Logging.ClearProviders().AddFakeLogging());
        await app.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            (await client.GetFromJsonAsync<JsonElement>("/admin/functions", TestContext.Current.CancellationToken)).GetArrayLength();
            await client.GetFromJsonAsync<JsonElement>("/api/trending", TestContext.Current.CancellationToken);

            var lines = app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
            Assert.NotEmpty(lines);
            Assert.DoesNotContain(lines, r => r.Level >= LogLevel.Information && r.Message.Contains("AnonymousType", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, r => r.Category?.StartsWith("Microsoft.AspNetCore.Mvc", StringComparison.Ordinal) == true && r.Level < LogLevel.Warning);
        }
        finally
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
