using Microsoft.Data.Sqlite;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Privacy;

/// <summary>The raw user id never reaches the SQLite database, the model folder or the log.</summary>
public sealed class RawUserIdsInEmbeddedStorageTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public async Task NoFileOfTheDataDirectoryNorTheLogHoldsTheRawUserId()
    {
        var outcome = await RawUserIdJourney.RunAsync([$"--Embedded:DataDirectory={_folder.Path}"], TestContext.Current.CancellationToken);
        SqliteConnection.ClearAllPools();

        outcome.AssertPersonalisedThenErasedAndForgotten();
        outcome.AssertTheLogNeverNamesTheShopper();
        var files = Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Contains(files.Keys, f => f.EndsWith("model.bin", StringComparison.Ordinal));
        // The search finds what is there: the other shoppers' events are stored, under their pseudonyms.
        var database = files.Where(f => Path.GetFileName(f.Key).StartsWith("reco.db", StringComparison.Ordinal)).SelectMany(f => f.Value).ToArray();
        Assert.True(JourneyOutcome.Contains(database, outcome.PseudonymOfAnotherShopper), "The search did not find a pseudonym that is stored.");
        foreach (var (path, bytes) in files)
        {
            JourneyOutcome.AssertNeverIn(bytes, Path.GetRelativePath(_folder.Path, path));
        }
    }

    public void Dispose() => _folder.Dispose();
}
