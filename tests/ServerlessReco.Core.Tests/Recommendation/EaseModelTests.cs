using System.Diagnostics;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Tests.Evaluation;

namespace ServerlessReco.Core.Tests.Recommendation;

public class EaseModelTests
{
    [Fact]
    public void ItemsTakenUpInTheSameSessionRelateMoreThanItemsWeeksApart()
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions { HalfLife = null });
        builder.Add("u", "a", 1, 0);
        builder.Add("u", "b", 1, 60);
        builder.Add("u", "c", 1, 30 * 86400);
        var data = builder.Build();

        var gram = EaseModel.Gram(data, new EaseOptions { SessionBoost = 1, SessionWindow = TimeSpan.FromMinutes(3) }, 16);

        Assert.Equal(1 + Math.Exp(-60 / 180.0), gram[1], 12); // a-b, a minute apart
        Assert.Equal(1, gram[2], 6);                           // a-c, a month apart
        Assert.Equal(2, gram[0], 12);                          // a with itself
    }

    [Fact]
    public void DenseInverseInvertsASymmetricPositiveDefiniteMatrix()
    {
        const int n = 150; // more than two pivot blocks, not a multiple of the block size
        var random = new Random(7);
        var x = new double[n * n];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() - 0.5;
        }

        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = i == j ? n : 0;
                for (var k = 0; k < n; k++)
                {
                    s += x[(k * n) + i] * x[(k * n) + j];
                }

                a[(i * n) + j] = s;
            }
        }

        var m = DenseInverse.PaddedSize(n);
        var inverse = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                inverse[(i * m) + j] = i < n && j < n ? a[(i * n) + j] : i == j ? 1 : 0;
            }
        }

        DenseInverse.InvertSymmetric(inverse, m, TestContext.Current.CancellationToken);

        for (var i = 0; i < n; i += 7)
        {
            for (var j = 0; j < n; j += 5)
            {
                double s = 0;
                for (var k = 0; k < n; k++)
                {
                    s += a[(i * n) + k] * inverse[(k * m) + j];
                }

                Assert.Equal(i == j ? 1 : 0, s, 9);
            }
        }
    }

    [Fact]
    public void SessionAwareEaseBeatsPublishedResultsOnMl100k()
    {
        var train = Ml100k.RequireSarTrain();
        var clock = Stopwatch.StartNew();
        var model = EaseModel.Train(train, cancellationToken: TestContext.Current.CancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var result = OfflineEvaluation.Evaluate(model, train, Ml100k.RequireTest());
        TestContext.Current.TestOutputHelper?.WriteLine($"ease: {seconds:F2}s map {result.Accuracy.Map:F6} ndcg {result.Accuracy.Ndcg:F6} p {result.Accuracy.Precision:F6} r {result.Accuracy.Recall:F6}");

        // Measured 0.499161 / 0.432556 / MAP 0.157444; published best (BiVAE) 0.4687 / 0.4082 / 0.1436.
        Assert.True(result.Accuracy.Ndcg > 0.495, $"nDCG@10 {result.Accuracy.Ndcg}");
        Assert.True(result.Accuracy.Precision > 0.43, $"P@10 {result.Accuracy.Precision}");
        Assert.True(result.Accuracy.Map > 0.155, $"MAP {result.Accuracy.Map}");
    }
}
