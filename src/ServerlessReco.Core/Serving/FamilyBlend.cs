using System.Buffers;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// Blends the candidate families into the model's scores of one list, by the weights the retrain chose for this shop
/// (<see cref="BlendChoice"/>, those for a shopper back after their visit ended when it chose them): the model's scores scaled to at most 1 and weighed, plus each family's scores
/// (<see cref="CandidateFamilies"/>) times its weight. A model without learned weights is served as before, by its own
/// scores alone.
/// </summary>
internal static class FamilyBlend
{
    public static void Apply(ListContext list, ServingModel model, Span<double> scores)
    {
        if (model.Blend is not { } choice || choice.WeightsFor(list.Events, list.SessionId, list.Now) is not { IsModelOnly: false } weights)
        {
            return;
        }

        var state = list.State;
        if (!CandidateFamilies.Scale(scores))
        {
            scores.Clear();
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] *= weights.Model;
        }

        var context = new FamilyContext(
            list.Events, list.SessionId, model.Recommender.Artifact.Model.Items, state.Weights, model.Sessions, choice.Neighbors, state.Priors, state.CategoryOf,
            RepeatHalfLife: choice.RepeatHalfLife, Now: list.Now);
        var buffer = ArrayPool<double>.Shared.Rent(scores.Length);
        try
        {
            var family = buffer.AsSpan(0, scores.Length);
            foreach (var (kind, weight) in Weighted(weights))
            {
                if (weight > 0 && CandidateFamilies.Compute(kind, context, family))
                {
                    for (var i = 0; i < scores.Length; i++)
                    {
                        scores[i] += weight * family[i];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static (Family, double)[] Weighted(BlendWeights w) =>
        [(Family.Neighbors, w.Neighbors), (Family.Category, w.Category), (Family.Repeat, w.Repeat), (Family.Popularity, w.Popularity), (Family.Transitions, w.Transitions)];
}
