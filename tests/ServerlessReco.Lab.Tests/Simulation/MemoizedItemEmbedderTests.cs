using ServerlessReco.Core.Content;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

public class MemoizedItemEmbedderTests
{
    [Fact]
    public void EachTextGoesThroughTheModelOnceWhateverTheCalls()
    {
        var model = new LengthEmbedder();
        var memoized = new MemoizedItemEmbedder(model);

        var first = memoized.Embed(["a", "bb", "a"], TestContext.Current.CancellationToken);
        var second = memoized.Embed(["bb", "ccc"], TestContext.Current.CancellationToken);

        Assert.Equal(["a", "bb", "ccc"], model.Seen);
        Assert.Equal(3, memoized.Embedded);
        Assert.Equal([1f, 2f, 1f], first.Select(v => v[0]));
        Assert.Equal([2f, 3f], second.Select(v => v[0]));
        Assert.Equal((model.Name, model.Dimensions), (memoized.Name, memoized.Dimensions));
    }

    /// <summary>A one-dimensional "content model": the text's length. Records what it was asked to embed.</summary>
    private sealed class LengthEmbedder : IItemEmbedder
    {
        public List<string> Seen { get; } = [];

        public string Name => "length";

        public int Dimensions => 1;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(texts);
            return [.. texts.Select(t => new[] { (float)t.Length })];
        }
    }
}
