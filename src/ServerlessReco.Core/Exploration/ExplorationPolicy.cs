using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Exploration;

/// <summary>A candidate of a list, in the model's ranked order (best first).</summary>
/// <param name="IsNew">A new arrival: favoured by the policies' new-item boost.</param>
/// <param name="Clicks">Clicks the item earned (Thompson sampling's posterior); ignored by epsilon-greedy.</param>
/// <param name="Impressions">Times the item was shown (Thompson sampling's posterior).</param>
/// <param name="Group">Which explore pool the item belongs to (<see cref="UncertaintyPolicy.KnownGroup"/>: the model's;
/// <see cref="UncertaintyPolicy.UnknownGroup"/>: catalogue items the model does not know, scored by content).</param>
/// <param name="Predicted">The click model's probability that this shopper clicks the item (NaN: not predicted): the
/// uncertainty policy's prior mean for it.</param>
/// <param name="Showings">The logged showings of the item the click model learnt from: how sure that prediction is
/// (the uncertainty policy's prior strength grows with them).</param>
public sealed record Candidate(
    string ItemId, double Score, bool IsNew = false, long Clicks = 0, long Impressions = 0, int Group = 0, double Predicted = double.NaN, int Showings = 0);

/// <summary>One slot of a served list: the item, its position (0-based), why it is there and the probability
/// that the policy would have put that item at that position given the same candidates.</summary>
/// <param name="PropensityStandardError">The standard error of <paramref name="Propensity"/> where the policy estimates
/// it by Monte Carlo (the binomial error of the runs it used); 0: the propensity is exact.</param>
public sealed record ExploredSlot(string ItemId, int Position, SlotKind Kind, double Propensity, double PropensityStandardError = 0);

/// <summary>A randomised policy that turns a ranked candidate list into a served list.</summary>
public interface IExplorationPolicy
{
    string Name { get; }

    /// <summary>Serves min(count, candidates) slots; every random draw comes from <paramref name="random"/>.</summary>
    IReadOnlyList<ExploredSlot> Select(IReadOnlyList<Candidate> ranked, int count, Random random);

    /// <summary>For each position, the probability of each item being served there (items absent: 0).</summary>
    IReadOnlyList<IReadOnlyDictionary<string, double>> Distribution(IReadOnlyList<Candidate> ranked, int count);
}
