using ServerlessReco.ClickTraining;
using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Clicks;
using ServerlessReco.Lab.Benchmarks.Clicks;

namespace ServerlessReco.Ranking.Tests;

/// <summary>
/// The click model on seeded synthetic logs whose true click probabilities are known: LightGBM's trees exported to
/// plain arrays score exactly as ML.NET does, the calibrated probabilities match the observed rates per bucket, the
/// model ranks held-out rows nearly as well as the truth does, fatigue lowers predictions, and too few lists train nothing.
/// </summary>
public sealed class ClickModelTests
{
    private static readonly SyntheticClickLog Log = SyntheticClickLog.Generate(seed: 11, slots: 60_000, users: 1500, items: 600);

    private static ClickModelFit Train(ClickModelOptions? options = null) =>
        ClickModelTraining.Train(Log.Rows, Log.History, Log.CategoryOf, new LightGbmClickTrainer(), options ?? new ClickModelOptions(), TestContext.Current.CancellationToken);

    [Fact]
    public void TheExportedTreesScoreEveryRowAsMlNetDoes()
    {
        var set = ClickTrainingSet.Build(Log.Rows.Take(8000).ToList(), Log.History, Log.CategoryOf, TestContext.Current.CancellationToken);
        var rows = Enumerable.Range(0, set.Rows).ToArray();

        var (trees, model, ml) = new LightGbmClickTrainer().FitModel(set, rows, null, TestContext.Current.CancellationToken);

        var expected = LightGbmClickTrainer.MlNetScores(model, ml, rows.Select(r => set.Row(r).ToArray()));
        Assert.True(trees.Trees.Count > 10);
        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(expected[r], trees.Score(set.Row(r)), 1e-4); // ML.NET sums in single precision
        }
    }

    [Fact]
    public void CalibratedProbabilitiesMatchTheObservedRatePerBucketOnRowsItDidNotTrainOn()
    {
        var fit = Train();

        Assert.NotNull(fit.Model);
        var buckets = ClickMetrics.Buckets(fit.HoldOutPredictions, fit.HoldOutLabels, 10);
        Assert.Equal(10, buckets.Count);
        foreach (var bucket in buckets)
        {
            // 1,200 rows a bucket: the observed rate's standard error is at most 0.015; allow three of them.
            var margin = 3 * Math.Sqrt(Math.Max(bucket.Predicted * (1 - bucket.Predicted), 0.01) / bucket.Rows);
            Assert.InRange(bucket.Observed, bucket.Predicted - margin, bucket.Predicted + margin);
        }

        Assert.True(buckets[^1].Observed > 3 * buckets[0].Observed); // and they separate
    }

    [Fact]
    public void OnHeldOutRowsItRanksNearlyAsWellAsTheTrueProbabilitiesAndBeatsAConstantRate()
    {
        var fit = Train();

        var figures = fit.Model!.Figures;
        var cut = figures.TrainRows;
        var truth = ClickMetrics.Auc(Log.TrueProbabilities[cut..], fit.HoldOutLabels);
        Assert.InRange(figures.Auc, truth - 0.03, truth);
        Assert.True(figures.LogLoss < figures.BaselineLogLoss - 0.01, $"log-loss {figures.LogLoss} vs constant {figures.BaselineLogLoss}");
        Assert.Equal(Log.Rows.Count, figures.TrainRows + figures.HoldOutRows);
    }

    [Fact]
    public void AnItemShownAgainWithoutAClickIsPredictedLessLikelyToBeClicked()
    {
        var model = Train().Model!;
        var (fresh, tired) = (new float[ClickFeatures.Count], new float[ClickFeatures.Count]);
        var row = Log.Rows[^1];
        var now = row.ShownAt.UtcTicks;
        ClickFeatures.Fill(fresh, now, 0.5, 0, (int)row.Source!.Value, 0, 1, new ItemExposure(200, 20, now - TimeSpan.TicksPerDay * 10), default, 50, 5, [], model.OverallRate);
        ClickFeatures.Fill(tired, now, 0.5, 0, (int)row.Source!.Value, 0, 1, new ItemExposure(200, 20, now - TimeSpan.TicksPerDay * 10),
            new PairExposure(2, now - TimeSpan.TicksPerHour, 0), 50, 5, [], model.OverallRate);

        // The truth: each ignored showing takes 0.5 off the log-odds, so two take the rate to about 0.4 of a fresh one's.
        Assert.True(model.Probability(tired) < 0.75 * model.Probability(fresh), $"{model.Probability(tired)} vs {model.Probability(fresh)}");
    }

    [Fact]
    public void BelowTheMinimumOfListsOrClicksNoModelIsTrainedAndTheReasonSaysWhy()
    {
        var fit = Train(new ClickModelOptions { MinimumLists = 100_000 });

        Assert.Null(fit.Model);
        Assert.Contains("at least 100000", fit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AStoredModelPredictsAsTheTrainedOneAndADamagedOneIsRefused()
    {
        var model = Train().Model!;
        var bytes = model.ToBytes();

        var read = ClickModel.FromBytes(bytes);

        var set = ClickTrainingSet.Build(Log.Rows.Take(500).ToList(), Log.History, Log.CategoryOf, TestContext.Current.CancellationToken);
        for (var r = 0; r < set.Rows; r++)
        {
            Assert.Equal(model.Probability(set.Row(r)), read.Probability(set.Row(r)));
        }

        Assert.Equal(model.Figures, read.Figures);
        Assert.NotEmpty(read.Exposures.Items);
        Assert.Equal(model.Exposures.Items.OrderBy(i => i.Key, StringComparer.Ordinal), read.Exposures.Items.OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.Equal(model.Exposures.Users.OrderBy(u => u.Key, StringComparer.Ordinal), read.Exposures.Users.OrderBy(u => u.Key, StringComparer.Ordinal));
        Assert.Equal(model.Exposures.Pairs.OrderBy(p => p.Key), read.Exposures.Pairs.OrderBy(p => p.Key));
        var damaged = (byte[])bytes.Clone();
        damaged[30] ^= 0x7F; // inside the first tree's shapes
        Assert.ThrowsAny<Exception>(() => ClickModel.FromBytes(damaged));
    }
}
