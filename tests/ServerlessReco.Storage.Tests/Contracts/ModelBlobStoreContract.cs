using System.Text;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>What every <see cref="IModelBlobStore"/> must do; the conditions are what make promotion safe.</summary>
public abstract class ModelBlobStoreContract
{
    protected abstract Task<IModelBlobStore> CreateStoreAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<string> ReadTextAsync(BlobDownload download)
    {
        using (download)
        using (var reader = new StreamReader(download.Content))
        {
            return await reader.ReadToEndAsync(Cancel);
        }
    }

    [Fact]
    public async Task APutObjectReadsBackWithItsETag()
    {
        var store = await CreateStoreAsync();
        var etag = await store.PutAsync("models/v1/model.bin", Text("weights"), BlobCondition.None, Cancel);

        var download = await store.GetAsync("models/v1/model.bin", Cancel);

        Assert.NotNull(download);
        Assert.Equal(etag, download.ETag);
        Assert.Equal("weights", await ReadTextAsync(download));
        Assert.Equal(etag, await store.GetETagAsync("models/v1/model.bin", Cancel));
    }

    [Fact]
    public async Task AMissingObjectIsNullEverywhere()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync("models/none", Cancel));
        Assert.Null(await store.GetETagAsync("models/none", Cancel));
        Assert.False(await store.DeleteAsync("models/none", Cancel));
    }

    [Fact]
    public async Task EachWriteGivesANewETag()
    {
        var store = await CreateStoreAsync();
        var first = await store.PutAsync("current.json", Text("v1"), BlobCondition.None, Cancel);
        var second = await store.PutAsync("current.json", Text("v2"), BlobCondition.None, Cancel);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task IfNotExistsRefusesToOverwrite()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("current.json", Text("v1"), BlobCondition.IfNotExists, Cancel);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => store.PutAsync("current.json", Text("v2"), BlobCondition.IfNotExists, Cancel));
        Assert.Equal("v1", await ReadTextAsync((await store.GetAsync("current.json", Cancel))!));
    }

    [Fact]
    public async Task IfMatchWritesOnlyOverTheExpectedVersion()
    {
        var store = await CreateStoreAsync();
        var stale = await store.PutAsync("current.json", Text("v1"), BlobCondition.None, Cancel);
        var fresh = await store.PutAsync("current.json", Text("v2"), BlobCondition.IfMatch(stale), Cancel);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => store.PutAsync("current.json", Text("v3"), BlobCondition.IfMatch(stale), Cancel));
        Assert.Equal("v2", await ReadTextAsync((await store.GetAsync("current.json", Cancel))!));
        Assert.Equal(fresh, await store.GetETagAsync("current.json", Cancel));
    }

    [Fact]
    public async Task IfMatchOnAMissingObjectFails()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => store.PutAsync("current.json", Text("v1"), BlobCondition.IfMatch("\"0x1\""), Cancel));
    }

    [Fact]
    public async Task OfTwoConcurrentConditionalWritersExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var etag = await store.PutAsync("current.json", Text("v1"), BlobCondition.None, Cancel);

        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await store.PutAsync("current.json", Text($"writer {i}"), BlobCondition.IfMatch(etag), Cancel);
                return true;
            }
            catch (BlobConditionFailedException)
            {
                return false;
            }
        });

        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, won => won);
    }

    [Fact]
    public async Task ListReturnsNamesUnderAPrefixInOrder()
    {
        var store = await CreateStoreAsync();
        foreach (var name in new[] { "models/v2/model.bin", "models/v1/model.bin", "models/v1/metrics.json", "other/x" })
        {
            await store.PutAsync(name, Text(name), BlobCondition.None, Cancel);
        }

        var names = new List<string>();
        await foreach (var name in store.ListAsync("models/", Cancel))
        {
            names.Add(name);
        }

        Assert.Equal(["models/v1/metrics.json", "models/v1/model.bin", "models/v2/model.bin"], names);
    }

    [Fact]
    public async Task DeleteRemovesTheObject()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("models/v1/model.bin", Text("x"), BlobCondition.None, Cancel);

        Assert.True(await store.DeleteAsync("models/v1/model.bin", Cancel));
        Assert.Null(await store.GetAsync("models/v1/model.bin", Cancel));
    }

    [Fact]
    public async Task ADownloadsETagIsTheTagOfTheBytesItReadsWhileAnotherWriterReplacesThem()
    {
        var store = await CreateStoreAsync();
        var written = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        written[await store.PutAsync("current.json", Text("v"), BlobCondition.None, Cancel)] = "v";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        // Writes of changing lengths, so a tag that mixed one write's time with another's length would name no write.
        var writer = Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                var text = new string('w', 1 + (i % 7));
                written[await store.PutAsync("current.json", Text(text), BlobCondition.None, stop.Token)] = text;
            }
        }, Cancel);

        for (var read = 0; read < 150; read++)
        {
            using var download = (await store.GetAsync("current.json", Cancel))!;
            using var reader = new StreamReader(download.Content);
            var text = await reader.ReadToEndAsync(Cancel);
            Assert.True(SpinWait.SpinUntil(() => written.ContainsKey(download.ETag), TimeSpan.FromSeconds(5)), $"the tag {download.ETag} names no write");
            Assert.Equal(written[download.ETag], text);
        }

        await stop.CancelAsync();
        try
        {
            await writer;
        }
        catch (OperationCanceledException)
        {
            // the writer stopped mid-write
        }
    }
}
