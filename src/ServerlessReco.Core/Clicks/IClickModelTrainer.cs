using ServerlessReco.Core.ClickPrediction;

namespace ServerlessReco.Core.Clicks;

/// <summary>
/// What fits the click model's trees (LightGBM through Microsoft.ML, in <c>ServerlessReco.ClickTraining</c>): the core
/// builds the rows, splits, calibrates and judges; the trainer only fits a boosted ensemble of binary-classification
/// trees to the given rows and hands it back as plain arrays, so serving needs no machine-learning runtime.
/// </summary>
public interface IClickModelTrainer
{
    /// <summary>The trainer's name for logs and version records (e.g. "lightgbm").</summary>
    string Name { get; }

    /// <summary>Fits trees to the rows <paramref name="rows"/> of <paramref name="set"/>, each weighted by <paramref name="weights"/> (null: 1).</summary>
    TreeEnsemble Fit(ClickTrainingSet set, ReadOnlySpan<int> rows, float[]? weights, CancellationToken cancellationToken = default);
}
