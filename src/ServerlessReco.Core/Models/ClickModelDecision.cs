namespace ServerlessReco.Core.Models;

/// <summary>
/// <c>metrics.json</c>'s <c>clickModel</c>: whether a click model was trained with this version and whether it serves
/// (re-ranks the personal lists), and why: too few logged lists or engaged slots, a failure, or the gate's off-policy
/// comparison on the newest held-out lists, then the recall hold-out's lists served with it and without. A version carries the model (attachment <c>click-model</c>) only when it serves.
/// </summary>
public sealed record ClickModelDecision(bool Trained, bool Serves, string Reason)
{
    /// <summary>What fitted the trees (e.g. "lightgbm").</summary>
    public string? Trainer { get; init; }

    /// <summary>The rows trained on and held out, the window's logged lists and engaged rows.</summary>
    public int? TrainRows { get; init; }
    public int? HoldOutRows { get; init; }
    public int? Lists { get; init; }
    public int? Engaged { get; init; }

    /// <summary>On the held-out rows: AUC of the raw scores, log-loss of the calibrated probabilities and of always predicting the training rate.</summary>
    public double? Auc { get; init; }
    public double? LogLoss { get; init; }
    public double? BaselineLogLoss { get; init; }

    /// <summary>Seconds to build the features, fit, calibrate and judge.</summary>
    public double? Seconds { get; init; }

    /// <summary>How rows were weighted: "none" or "propensity".</summary>
    public string? Weighting { get; init; }

    /// <summary>The off-policy comparison the decision rests on (null when none was made).</summary>
    public ClickModelGateRecord? Gate { get; init; }

    /// <summary>nDCG@K of the recall hold-out's lists served with the click model re-ranking them and without (null when not compared).</summary>
    public double? NdcgWithClickModel { get; init; }
    public double? NdcgWithoutClickModel { get; init; }

    /// <summary>With − without on those lists, paired per hold-out user, by the gate's rule: the click model serves only when it is not worse.</summary>
    public GateComparison? HoldOut { get; init; }
}

/// <summary>
/// The click model's ranking against the logged policy's on the held-out lists: engaged slots per list in each list's
/// top half, with each slot weighted by 1 / its logged propensity (IPS) and normalised by those weights (SNIPS), and
/// 95 % bootstrap intervals of the difference (click model − logged) over lists.
/// </summary>
public sealed record ClickModelGateRecord(int Lists, ClickPolicyEstimate Ips, ClickPolicyEstimate SelfNormalisedIps, bool NotWorse);

/// <summary>One estimator's values for both rankings and their difference's interval.</summary>
public sealed record ClickPolicyEstimate(double ClickModel, double Logged, double Difference, double Lower, double Upper);
