using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// How one list explores: the policy at the list's rate, the <see cref="Room"/> it fills, how many candidates it wants
/// in all (<see cref="Wanted"/>: the room plus the explore pool), the long-tail sample's size, and the list's draws.
/// </summary>
internal sealed record ExplorationPlan(IExplorationPolicy Policy, double Explore, int Room, int Wanted, int TailSize, Random Random);

/// <summary>
/// Exploration: the configured policy draws the list from the ranked candidates (the model's best, trending fill, the
/// long-tail sample last), each slot with its propensity, times the item's inclusion probability for the tail sample, so
/// off-policy evaluation stays exact. New arrivals join as explore slots with propensity 1: they are shown by rule, not
/// drawn, to learn what the model cannot know yet.
/// </summary>
internal sealed class ExplorationStage(ServingOptions options, LiveExposure? live = null)
{
    private readonly LiveExposure _live = live ?? new();
    private readonly ExplorationPolicies _policies = new(options.ToExplorationSettings());
    private readonly Random? _seeds = options.ExplorationSeed is { } seed ? new Random(seed) : null;

    /// <summary>
    /// The list's rate: the request's; else the one the serving version's retrain chose (<see cref="ServingOptions.ChosenRate(ServingModel?)"/>);
    /// else the configured one.
    /// </summary>
    public double RateOf(double? requested, ServingState state) => requested ?? options.ChosenRate(state.Model)?.Rate ?? options.Explore;

    /// <summary>Whether explore slots may draw from catalogue items the model does not know (<see cref="UncertaintyPolicy"/>).</summary>
    public bool ReachesUnknown => options.ExplorationPolicy == ExplorationPolicies.Uncertainty;

    /// <summary>The plan of a list with <paramref name="room"/> places for the policy, at the list's rate (<see cref="RateOf"/>).</summary>
    public ExplorationPlan Plan(double? requested, ServingState state, int room)
    {
        var explore = RateOf(requested, state);
        // The policy sees the list's length plus a pool of the next best candidates to explore from.
        var wanted = room + (explore > 0 && room > 0 ? options.ExplorationPool : 0);
        return new ExplorationPlan(_policies.At(explore), explore, room, wanted, wanted > room ? options.ExplorationTailSample : 0, NextRandom());
    }

    /// <summary>
    /// The served list: the policy's draw from <paramref name="near"/>, the model's tail sample and the
    /// <paramref name="unknown"/> pool (with each item's impressions and clicks), then <paramref name="newArrivals"/>.
    /// A near candidate the click model re-ranked brings its prediction and showings: the uncertainty policy's prior.
    /// </summary>
    public ServedList Serve(
        ListContext list, RecommendationRequest request, ExplorationPlan plan, List<ServingCandidate> near, ModelCandidates model,
        List<RecommendedItem> newArrivals, List<(ServingCandidate Candidate, long Impressions, long Clicks)>? unknown = null)
    {
        unknown ??= [];
        var state = list.State;
        var nearCount = near.Count;
        var tailEnd = nearCount + model.Tail.Count;
        var pool = near;
        pool.AddRange(model.Tail);
        pool.AddRange(unknown.Select(u => u.Candidate));
        var ranked = new Candidate[pool.Count];
        var rankOf = new Dictionary<string, int>(pool.Count, StringComparer.Ordinal);
        for (var i = 0; i < ranked.Length; i++)
        {
            var item = pool[i].Item;
            if (i >= tailEnd)
            {
                var (_, impressions, clicks) = unknown[i - tailEnd];
                ranked[i] = new Candidate(item.ItemId, item.Score, IsNew(state, item.ItemId, list.Now), clicks, impressions, UncertaintyPolicy.UnknownGroup);
            }
            else
            {
                var feedback = state.Trending.Feedback.GetValueOrDefault(item.ItemId);
                var impressions = feedback.Impressions + _live.Of(state.Trending, item.ItemId);
                // Tail items never count as new: the new-item boost then depends only on the deterministic near pool, which
                // keeps every propensity exact (inclusion probability × the policy's probability given the pool).
                ranked[i] = new Candidate(item.ItemId, item.Score, i < nearCount && IsNew(state, item.ItemId, list.Now), feedback.Clicks, impressions, Predicted: pool[i].Predicted, Showings: pool[i].Showings);
            }

            rankOf[item.ItemId] = i;
        }

        var items = new List<RecommendedItem>(request.Count);
        var slots = new List<ServedSlot>(request.Count);
        foreach (var slot in plan.Policy.Select(ranked, plan.Room, plan.Random))
        {
            var rank = rankOf[slot.ItemId];
            var (item, modelIndex, _, _) = pool[rank];
            // An anonymous caller keeps the generic "recommended for you": a reason naming the user's own purchase
            // would tell anyone who knows the id what they bought.
            if (modelIndex >= 0 && model.Reasons is { } reasons && request.Who.SeesHistory)
            {
                item = reasons.Explain(state, item, modelIndex);
            }

            var inclusion = rank < nearCount || rank >= tailEnd ? 1 : model.TailInclusion;
            items.Add(item with { SlotKind = slot.Kind, Propensity = slot.Propensity * inclusion });
            slots.Add(new ServedSlot(rank, ranked[rank].IsNew, inclusion, slot.PropensityStandardError * inclusion));
        }

        foreach (var item in newArrivals)
        {
            items.Add(item with { SlotKind = SlotKind.Explore });
            slots.Add(new ServedSlot(-1, true, 1));
        }

        var served = state.ListOf(items) with { Policy = plan.Policy.Name };
        return new ServedList(request, served, slots, Shape(plan, ranked), ranked, list.Now);
    }

    /// <summary>What the policy saw: its rate (rounded as logged), the head it filled and the pool beyond, with its new items.</summary>
    private static ListShape Shape(ExplorationPlan plan, Candidate[] ranked)
    {
        var head = Math.Min(plan.Room, ranked.Length);
        var poolNew = 0;
        for (var i = head; i < ranked.Length; i++)
        {
            poolNew += ranked[i].IsNew ? 1 : 0;
        }

        return new ListShape(plan.Policy.Name, Math.Round(Math.Clamp(plan.Explore, 0, 1), 2), head, ranked.Length - head, poolNew);
    }

    /// <summary>A candidate is new when the catalogue says it was created within the new-arrival window.</summary>
    private bool IsNew(ServingState state, string itemId, DateTimeOffset now) =>
        state.Catalog.ById.TryGetValue(itemId, out var item) && item.CreatedAt is { } created && created > now - options.NewArrivalWindow;

    /// <summary>A fresh draw source per list: seeded from one sequence when a seed is configured, so lists are reproducible.</summary>
    private Random NextRandom()
    {
        if (_seeds is null)
        {
            return new Random(Random.Shared.Next());
        }

        lock (_seeds)
        {
            return new Random(_seeds.Next());
        }
    }
}
