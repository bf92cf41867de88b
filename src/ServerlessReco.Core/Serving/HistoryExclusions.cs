using System.Runtime.InteropServices;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Serving;

/// <summary>What a user's events rule out of their list, and the strongest thing they did with each item (for reasons).</summary>
internal sealed record UserExclusions(HashSet<string> Excluded, Dictionary<string, EventType> Strongest);

/// <summary>
/// The business rules of a user's own history: dismissed items never come back; purchased ones only when the shop wants
/// repeat purchases; everything else the user took up (viewed, clicked, carted, rated) is left out when configured, or,
/// with <see cref="ServingOptions.ExcludeSeen"/> unset, when the model's learned blend gives repeat interest no weight.
/// </summary>
internal sealed class HistoryExclusions(ServingOptions options)
{
    /// <summary>In one pass over the events: the items to leave out and the strongest event per item (seen items left out unless the settings say otherwise).</summary>
    public UserExclusions Of(IReadOnlyList<BehaviorEvent> events, EventWeights weights) => Of(events, weights, options.ExcludeSeen ?? true);

    /// <summary>The same, with <paramref name="excludeSeen"/> deciding about viewed, clicked, carted and rated items.</summary>
    public UserExclusions Of(IReadOnlyList<BehaviorEvent> events, EventWeights weights, bool excludeSeen)
    {
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var strongest = new Dictionary<string, EventType>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var leaveOut = e.Type switch
            {
                EventType.Dismiss => true,
                EventType.Purchase => !options.AllowRepeatPurchases,
                EventType.Impression => false,
                _ => excludeSeen && weights.WeightOf(e.Type, e.Value) > 0,
            };
            if (leaveOut)
            {
                excluded.Add(e.ItemId);
            }

            var rank = Rank(e.Type);
            if (rank > 0)
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(strongest, e.ItemId, out var exists);
                if (!exists || rank > Rank(slot))
                {
                    slot = e.Type;
                }
            }
        }

        return new UserExclusions(excluded, strongest);
    }

    /// <summary>How strong an event is as a reason ("because you bought" beats "because you viewed"); 0: none.</summary>
    private static int Rank(EventType type) => type switch
    {
        EventType.Purchase => 6,
        EventType.AddToCart => 5,
        EventType.Rating => 4,
        EventType.Favorite => 3,
        EventType.Click => 2,
        EventType.View => 1,
        _ => 0,
    };
}
