using ServerlessReco.Embeddings;

namespace ServerlessReco.Storage.Tests.Content;

/// <summary>The pretrained transformer itself (ONNX Runtime, the model bundled in the package), on a handful of texts.</summary>
public sealed class MiniLmItemEmbedderTests
{
    [Fact]
    public void TextsAboutTheSameThingAreCloserThanUnrelatedOnes()
    {
        using var embedder = new MiniLmItemEmbedder();

        var vectors = embedder.Embed(
            ["Trail running shoe. Shoes. trail, running.", "Lightweight sneakers for running on mountain paths.", "Stoneware tea kettle. Home & Kitchen."],
            TestContext.Current.CancellationToken);

        Assert.All(vectors, v => Assert.Equal(embedder.Dimensions, v.Length));
        Assert.All(vectors, v => Assert.Equal(1, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
        Assert.True(Cosine(vectors[0], vectors[1]) > Cosine(vectors[0], vectors[2]) + 0.2);
    }

    [Fact]
    public void TheNetworkLoadsOnlyWhenSomethingIsEmbedded()
    {
        using var embedder = new MiniLmItemEmbedder();

        var none = embedder.Embed([], TestContext.Current.CancellationToken);

        Assert.Empty(none);
        Assert.False(embedder.IsLoaded);
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
