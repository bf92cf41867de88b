using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Clicks;

/// <summary>What a shopper did with a shown slot, as flags: a purchase or an add-to-cart without a logged click still counts as one.</summary>
[Flags]
public enum ClickOutcome : byte
{
    None = 0,
    Clicked = 1,
    Carted = 2,
    Purchased = 4,
}

/// <summary>Where a training row's impression was logged.</summary>
public enum ClickRowOrigin : byte
{
    /// <summary>A slot of a personal list this host served (the served-list store): position, kind and propensity are known.</summary>
    Served = 0,

    /// <summary>
    /// A shop-posted <c>impression</c> event citing a list of the shop's own: no position (−1), no policy (propensity 1,
    /// exploit), no score.
    /// </summary>
    ShopImpression = 1,
}

/// <summary>
/// One shown slot, the unit the click model learns from: which shopper (pseudonym) saw which item, in which list, when,
/// at which position, why it was there (slot kind, the candidate source and its score as served), with what probability
/// the policy put it there, and what the shopper then did with it, as attributed through the list's
/// <c>recommendationId</c>. A value type: a month of a busy shop is millions of rows.
/// </summary>
public readonly record struct ClickRow(
    string UserId,
    string ItemId,
    string ListId,
    DateTimeOffset ShownAt,
    int Position,
    SlotKind Kind,
    double Propensity,
    int Rank,
    double Score,
    ReasonKind? Source,
    ClickRowOrigin Origin,
    ClickOutcome Outcome)
{
    /// <summary>The label the click model is trained on: a click, or a stronger action that implies one.</summary>
    public bool Engaged => Outcome != ClickOutcome.None;

    /// <summary>The key attribution joins on: one list shows an item once.</summary>
    public (string User, string List, string Item) Key => (UserId, ListId, ItemId);
}
