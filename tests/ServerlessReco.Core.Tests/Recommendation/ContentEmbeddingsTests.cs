using ServerlessReco.Core.Content;

namespace ServerlessReco.Core.Tests.Recommendation;

/// <summary>The compact content vectors: projection, 8-bit codes and the artifact's bytes.</summary>
public sealed class ContentEmbeddingsTests
{
    private static float[][] Vectors(int n, int d, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float)random.NextDouble()).ToArray())];
    }

    [Fact]
    public void EightBitCosinesStayWithinOneHundredthOfTheFloatOnes()
    {
        var vectors = Vectors(300, 48, seed: 1);
        var ids = Enumerable.Range(0, 300).Select(i => $"sku-{i}").ToArray();
        var floats = ContentEmbeddings.Build(ids, vectors, new ContentOptions { Dimensions = 16, EightBit = false });
        var codes = ContentEmbeddings.Build(ids, vectors, new ContentOptions { Dimensions = 16 });
        var query = new float[16];

        floats.Decode(0, query);

        Assert.Equal(1, floats.Dot(0, query), 4);
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal(floats.Dot(i, query), codes.Dot(i, query), 0.01));
        Assert.Equal(300 * (16 + 4), codes.VectorBytes);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(100)]
    public void TheCodesDotTheQueryAsTheirDecodedVectorsDo(int dimensions)
    {
        // 128: whole vector registers only; 100: registers and a remainder.
        var vectors = Vectors(400, 200, seed: 4);
        var codes = ContentEmbeddings.Build([.. Enumerable.Range(0, 400).Select(i => $"sku-{i}")], vectors, new ContentOptions { Dimensions = dimensions });
        var query = new float[dimensions];
        var decoded = new float[dimensions];
        codes.Decode(7, query);

        Assert.All(Enumerable.Range(0, 400), i =>
        {
            codes.Decode(i, decoded);
            Assert.Equal(decoded.Zip(query, (a, b) => a * b).Sum(), codes.Dot(i, query), 4);
        });
    }

    [Fact]
    public void TheBytesReadBackToTheSameVectors()
    {
        var ids = new[] { "a", "b", "c" };
        var built = ContentEmbeddings.Build(ids, Vectors(3, 8, seed: 2), new ContentOptions());

        var read = ContentEmbeddings.FromBytes(built.ToBytes());
        var query = new float[built.Dimensions];
        built.Decode(1, query);

        Assert.Equal(ids, read.Items.Ids);
        Assert.Equal([.. ids.Select((_, i) => built.Dot(i, query))], ids.Select((_, i) => read.Dot(i, query)));
    }

    [Fact]
    public void PrincipalDirectionsAreOrthonormalAndLargestFirst()
    {
        // Variance 9 along the first axis, 1 along the second, almost none along the third.
        var random = new Random(3);
        var points = Enumerable.Range(0, 2000).Select(_ => new[] { 3 * (float)Gaussian(random), (float)Gaussian(random), 0.01f * (float)Gaussian(random) }).ToList();

        var pca = PrincipalDirections.Fit(points, 2);

        Assert.Equal(1, Math.Abs(pca.Directions[0][0]), 2);
        Assert.Equal(1, Math.Abs(pca.Directions[1][1]), 2);
        Assert.Equal(0, pca.Directions[0].Zip(pca.Directions[1], (a, b) => a * b).Sum(), 4);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
