using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Embedded;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Serving;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Functions;
using ServerlessReco.Hosting;
using ServerlessReco.Hosting.Tokens;

namespace ServerlessReco.Functions.Tests;

/// <summary>Function classes wired to a real embedded store in a temporary folder, with a fixed clock.</summary>
public sealed class FunctionTestContext : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("reco-fn-").FullName;

    public FunctionTestContext(int retentionDays = 30, int maxCatalogItems = int.MaxValue)
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "reco.db"));
        var clock = new FakeTimeProvider(Now);
        var retention = new RetentionPolicy(retentionDays);
        Events = new SqliteEventStore(database, retention);
        Items = new SqliteItemStore(database);
        var ingestion = new IngestionService(Events, Items, clock, retention, maxCatalogItems);
        EventsFunctions = new EventsFunctions(ingestion, Callers(), NullLogger<EventsFunctions>.Instance);
        ItemsFunctions = new ItemsFunctions(ingestion, Items, NullLogger<ItemsFunctions>.Instance);
    }

    public SqliteEventStore Events { get; }
    public SqliteItemStore Items { get; }
    public EventsFunctions EventsFunctions { get; }
    public ItemsFunctions ItemsFunctions { get; }

    /// <summary>Callers as a host builds them, with the given shopper-token settings (default: none required, no keys).</summary>
    public static RequestCallers Callers(ShopperTokenOptions? options = null, RateLimitOptions? limits = null)
    {
        options ??= new ShopperTokenOptions();
        var keys = string.IsNullOrWhiteSpace(options.SigningKeys) ? null : ShopperTokenKeys.Parse(options.SigningKeys);
        return new RequestCallers(new ShopperTokens(keys), Options.Create(options), new ClientRateLimits(limits ?? new RateLimitOptions(), TimeProvider.System));
    }

    /// <summary>The keyed read functions over <paramref name="service"/>, as a host wires them.</summary>
    public static RecommendationsFunctions Recommendations(RecommendationService service, ShopperTokenOptions? options = null) =>
        new(new ListRequests(service), Callers(options));

    /// <summary>A GET request with the given query string ("?count=3", or empty).</summary>
    public static HttpRequest Get(string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    public static HttpRequest Request(string body, string contentType = "application/json", long? contentLength = null)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentType = contentType;
        context.Request.ContentLength = contentLength ?? bytes.Length;
        return context.Request;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
