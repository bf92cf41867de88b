using System.Text;
using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Embedded;
using ServerlessReco.Storage.Tests.Contracts;

namespace ServerlessReco.Storage.Tests.Embedded;

/// <summary>
/// Erasing a shopper from the embedded store leaves nothing of their rows on disk: not in the database file's free
/// pages, not in the write-ahead log. Searched byte by byte, as someone holding a copy of the files would.
/// </summary>
public sealed class SqliteErasureTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public async Task AnErasedShoppersIdsItemsAndEventIdsAreNowhereInTheFiles()
    {
        var cancel = TestContext.Current.CancellationToken;
        var store = new SqliteEventStore(new SqliteDatabase(Path.Combine(_folder.Path, "reco.db")), RetentionPolicy.Forever);
        // Enough rows to fill several pages, each with markers that occur in no other row.
        var erased = Enumerable.Range(0, 400)
            .Select(i => SampleEvents.Event("erase-me-3b1f", $"item-only-erased-{i:D4}", $"event-only-erased-{i:D4}"))
            .ToList();
        var kept = Enumerable.Range(0, 400)
            .Select(i => SampleEvents.Event("keep-me-9c2d", $"item-kept-{i:D4}", $"event-kept-{i:D4}"))
            .ToList();
        await store.AppendAsync(erased, cancel);
        await store.AppendAsync(kept, cancel);

        Assert.Equal(400, await store.DeleteUserEventsAsync("erase-me-3b1f", cancel));
        SqliteConnection.ClearAllPools();

        var files = Directory.EnumerateFiles(_folder.Path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        var all = files.Values.SelectMany(b => b).ToArray();
        Assert.True(Contains(all, "keep-me-9c2d") && Contains(all, "item-kept-0399"), "The search did not find rows that are stored.");
        foreach (var (name, bytes) in files)
        {
            Assert.False(Contains(bytes, "erase-me-3b1f"), $"The erased user id is in {name}.");
            Assert.False(Contains(bytes, "item-only-erased-"), $"An erased item id is in {name}.");
            Assert.False(Contains(bytes, "event-only-erased-"), $"An erased event id is in {name}.");
        }
    }

    private static bool Contains(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    public void Dispose() => _folder.Dispose();
}
