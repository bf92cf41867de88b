using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Ingestion.History;
namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The simulated shop writes what a real client posts (JSON bodies of <c>POST /api/events</c> and <c>PUT /api/items</c>)
/// through <see cref="IngestionService"/> (or over HTTP, <see cref="HttpShopApi"/>), so its events and items pass the same validation as a shop's.
/// </summary>
internal static class IngestionBodies
{
    public static async Task RecordAsync(IngestionService ingestion, IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken)
    {
        foreach (var chunk in events.Chunk(IngestionLimits.MaxBatchSize))
        {
            Check(await ingestion.RecordEventsAsync(Events(chunk), cancellationToken).ConfigureAwait(false), "events");
        }
    }

    public static async Task UpsertAsync(IngestionService ingestion, IReadOnlyList<WorldItem> items, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        foreach (var chunk in items.Chunk(IngestionLimits.MaxBatchSize))
        {
            Check(await ingestion.UpsertItemsAsync(Items(chunk, createdAt), cancellationToken).ConfigureAwait(false), "items");
        }
    }

    /// <summary>The body of <c>POST /api/events</c> for one batch (at most <see cref="IngestionLimits.MaxBatchSize"/> events).</summary>
    public static ReadOnlyMemory<byte> Events(IEnumerable<BehaviorEvent> events) => Array(events, EventJson.Write);

    /// <summary>The body of <c>PUT /api/items</c> for one batch, every item created at <paramref name="createdAt"/>.</summary>
    public static ReadOnlyMemory<byte> Items(IEnumerable<WorldItem> items, DateTimeOffset createdAt) => Array(items, (json, item) =>
    {
        json.WriteStartObject();
        json.WriteString("itemId", item.Id);
        json.WriteString("title", item.Title ?? $"Simulated {item.Id}");
        json.WriteString("category", item.CategoryName ?? ShopWorld.CategoryName(item.Category));
        if (item.Tags.Count > 0)
        {
            json.WriteStartArray("tags");
            foreach (var tag in item.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
        }

        if (item.Description is { } description)
        {
            json.WriteString("description", description);
        }

        json.WriteString("createdAt", createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> Array<T>(IEnumerable<T> elements, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var element in elements)
            {
                write(json, element);
            }

            json.WriteEndArray();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>A refused batch is a bug of the simulation, not a shopper's mistake: stop at once, naming the problems.</summary>
    private static void Check(IngestionOutcome outcome, string what)
    {
        if (!outcome.IsAccepted)
        {
            throw new InvalidOperationException(
                $"The simulated {what} were refused: {string.Join("; ", outcome.Errors.Take(3).Select(e => $"{e.Index} {e.Field} {e.Message}"))}");
        }
    }
}
