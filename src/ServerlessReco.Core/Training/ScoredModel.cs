using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>One model's figures on a hold-out and its nDCG@K per held-out user (0 where it gave no list), which the gate pairs.</summary>
public sealed record ScoredModel(ModelScores Scores, IReadOnlyDictionary<string, double> UserNdcg);
