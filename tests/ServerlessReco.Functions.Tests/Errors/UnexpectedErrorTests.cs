using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ServerlessReco.Core.Storage;
using ServerlessReco.Functions.Http;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Functions.Tests.Errors;

/// <summary>
/// An exception no function handled, in both hosts: 500 problem+json with a correlation id and nothing of the
/// exception, and the exception in the log under the same id.
/// </summary>
public sealed class UnexpectedErrorTests
{
    private const string Internals = "Cosmos key 'c2VjcmV0' rejected at /home/reco/settings.json";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The members the documented server problem has, read from openapi.json.</summary>
    private static IEnumerable<string> DocumentedMembers() =>
        OpenApi.OpenApiSpec.Load().Root.GetProperty("components").GetProperty("schemas").GetProperty("ServerProblem")
            .GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

    private static JsonElement AssertServerProblem(int status, string? contentType, string body)
    {
        Assert.Equal(StatusCodes.Status500InternalServerError, status);
        Assert.StartsWith(Problems.ContentType, contentType, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal); // no stack frame
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(DocumentedMembers(), json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(500, json.GetProperty("status").GetInt32());
        Assert.Equal(UnexpectedErrors.Title, json.GetProperty("title").GetString());
        return json;
    }

    private static FakeLogRecord AssertLoggedOnce(FakeLogCollector logs, string correlationId, Func<Exception, bool> isTheFailure)
    {
        var record = Assert.Single(logs.GetSnapshot(), r => r.Exception is not null);
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.True(isTheFailure(record.Exception!), record.Exception!.ToString());
        Assert.Equal(correlationId, record.GetStructuredStateValue("CorrelationId"));
        return record;
    }

    [Fact]
    public async Task AFunctionThatThrowsInTheFunctionsAppAnswers500WithACorrelationIdAndLogsTheException()
    {
        var logs = new FakeLogCollector();
        var middleware = new UnexpectedErrorMiddleware(new FakeLogger<UnexpectedErrorMiddleware>(logs));
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };
        var context = new HttpFunctionContext("GetItem", http);

        await middleware.Invoke(context, _ => throw new InvalidOperationException(Internals));

        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync(Cancel);
        var problem = AssertServerProblem(http.Response.StatusCode, http.Response.ContentType, body);
        Assert.DoesNotContain(Internals, body, StringComparison.Ordinal);
        Assert.Equal(context.InvocationId, problem.GetProperty("correlationId").GetString());
        var logged = AssertLoggedOnce(logs, context.InvocationId, e => e.Message == Internals);
        Assert.Equal("GetItem", logged.GetStructuredStateValue("Function"));
    }

    [Fact]
    public async Task ATimerFunctionThatThrowsKeepsItsExceptionForTheHost()
    {
        var middleware = new UnexpectedErrorMiddleware(new FakeLogger<UnexpectedErrorMiddleware>());

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            middleware.Invoke(new HttpFunctionContext("Retrain", http: null), _ => throw new InvalidOperationException(Internals)));

        Assert.Equal(Internals, thrown.Message);
    }

    [Fact]
    public async Task AFunctionThatFailsInTheLocalHostAnswers500InsteadOfTheDeveloperExceptionPage()
    {
        var folder = Directory.CreateTempSubdirectory("reco-errors-").FullName;
        await using var app = LocalFunctionsHost.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development", $"--Embedded:DataDirectory={folder}"],
            builder =>
            {
                builder.Logging.ClearProviders().AddFakeLogging();
                builder.Services.AddSingleton(FailingStore.Create<IItemStore>()); // the catalogue is down
            });
        await app.StartAsync(Cancel);
        try
        {
            Assert.True(app.Environment.IsDevelopment());
            using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

            using var response = await client.GetAsync("/api/items/sku-1", Cancel);

            var body = await response.Content.ReadAsStringAsync(Cancel);
            var problem = AssertServerProblem((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
            Assert.DoesNotContain(Internals, body, StringComparison.Ordinal);
            Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
            var correlationId = problem.GetProperty("correlationId").GetString()!;
            var logged = AssertLoggedOnce(app.Services.GetFakeLogCollector(), correlationId, e => e.Message == Internals);
            Assert.Equal("GetItem", logged.GetStructuredStateValue("Function"));
        }
        finally
        {
            await app.StopAsync(Cancel);
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AClientMistakeStaysA4xxProblemInTheLocalHost()
    {
        var folder = Directory.CreateTempSubdirectory("reco-errors-").FullName;
        await using var app = LocalFunctionsHost.Build(["--urls", "http://127.0.0.1:0", $"--Embedded:DataDirectory={folder}", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync(Cancel);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

            using var response = await client.GetAsync("/api/items/no-such-item", Cancel);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(Problems.ContentType, response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await app.StopAsync(Cancel);
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A store that is down: every call fails with <see cref="Internals"/> in its message.</summary>
    public class FailingStore : System.Reflection.DispatchProxy
    {
        public static T Create<T>()
            where T : class => Create<T, FailingStore>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException(Internals);
    }

    /// <summary>
    /// The parts of a function invocation the middleware reads: its name, its id, and the HTTP context the ASP.NET Core
    /// integration puts in <see cref="FunctionContext.Items"/> (none for a timer).
    /// </summary>
    internal sealed class HttpFunctionContext(string name, HttpContext? http) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString();
        public override string FunctionId => name;
        public override TraceContext TraceContext => throw new NotSupportedException();
        public override BindingContext BindingContext => throw new NotSupportedException();
        public override RetryContext RetryContext => throw new NotSupportedException();
        public override IServiceProvider InstanceServices { get; set; } = new ServiceCollection().BuildServiceProvider();
        public override FunctionDefinition FunctionDefinition { get; } = new Definition(name);
        public override IDictionary<object, object> Items { get; set; } =
            http is null ? new Dictionary<object, object>() : new Dictionary<object, object> { ["HttpRequestContext"] = http };
        public override Microsoft.Azure.Functions.Worker.IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];
        public override string PathToAssembly => typeof(Definition).Assembly.Location;
        public override string EntryPoint => name;
        public override string Id => name;
        public override string Name => name;
        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
