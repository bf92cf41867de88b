namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// A simulated shop's truth: its shoppers, its items as they arrive, and the probability that a shopper clicks an item
/// when shown it. Only the simulator sees it; the shop under test sees the items and the events the loop posts. Every
/// draw comes from the world's seed in an order no policy can change, so every policy faces the same shop.
/// </summary>
public interface IShopWorld
{
    /// <summary>A short name for reports ("hand-built", "movielens").</summary>
    string Name { get; }

    /// <summary>How many shoppers there are (users 0..Users−1, named by <see cref="ShopWorld.UserId"/>).</summary>
    int Users { get; }

    /// <summary>Every item that has arrived so far, in arrival order (the catalogue on day one first).</summary>
    IReadOnlyList<WorldItem> Items { get; }

    /// <summary>A new day: tastes move on, new items arrive (returned, to be upserted into the catalogue).</summary>
    IReadOnlyList<WorldItem> BeginRound(int round);

    /// <summary>The shopper of the next recommendation request.</summary>
    int NextUser();

    /// <summary>The true probability that <paramref name="user"/> clicks <paramref name="item"/> when shown it.</summary>
    double ClickProbability(int user, WorldItem item);

    /// <summary>
    /// How much less likely a click is at list position <paramref name="position"/> (0: the top) than at the top: the
    /// shown probability is <see cref="ClickProbability"/> times this. The serving loop and the oracle both apply it.
    /// </summary>
    double PositionDiscount(int position);

    /// <summary>What a click leads to: the probability of adding to the cart after it, and of buying after that.</summary>
    AfterClick AfterClick(int user, WorldItem item);

    /// <summary>The round's organic visits: what shoppers found on their own (views, carts, purchases).</summary>
    IReadOnlyList<OrganicVisit> Browse();
}

/// <summary>The probabilities of the steps after a click: add to cart, then buy (given the cart).</summary>
public readonly record struct AfterClick(double Cart, double PurchaseAfterCart)
{
    /// <summary>The probability of a purchase given a click.</summary>
    public double Purchase => Cart * PurchaseAfterCart;
}
