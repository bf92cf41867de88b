using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Ingestion.History;
using ServerlessReco.Core.Storage;
using ServerlessReco.Hosting;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// <c>reco sample-shop</c>: loads a generated demo shop (<see cref="SampleShop"/>) into the configured store,
/// or writes its events as JSON Lines for <c>reco import</c>. Loading the same seed twice stores nothing new.
/// </summary>
public sealed class SampleShopCommand : RecoCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly StoreOptions _store = new();
    private readonly Option<int> _seed = new("--seed") { HelpName = "N", Description = "the shop: the same seed gives the same ids", DefaultValueFactory = _ => 42 };
    private readonly Option<int> _items = new("--items") { HelpName = "N", Description = "catalogue size", DefaultValueFactory = _ => 300 };
    private readonly Option<int> _users = new("--users") { HelpName = "N", Description = "shoppers", DefaultValueFactory = _ => 400 };
    private readonly Option<int> _events = new("--events") { HelpName = "N", Description = "events", DefaultValueFactory = _ => 5000 };
    private readonly Option<string?> _jsonl = new("--jsonl") { HelpName = "PATH", Description = "also write the events as JSON Lines (the input of `reco import`)" };

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public SampleShopCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("sample-shop", "Load a generated demo shop (catalogue and a month of events) into the store.")
    {
        _environment = environment;
        Details = $"""
            Generates a shop (12 categories, Zipf-like popularity, shoppers loyal to a few categories, session funnels of
            views, clicks, add-to-carts, purchases and ratings over the last 30 days) and stores it. The same seed gives the
            same ids, so loading it twice stores nothing the second time.
            {StoreOptions.EnvironmentNote}
            """;
        Add(_seed);
        Add(_items.AtLeast(1));
        Add(_users.AtLeast(1));
        Add(_events.AtLeast(0));
        Add(_jsonl);
        _store.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (seed, items, users, events) = (parsed.GetValue(_seed), parsed.GetValue(_items), parsed.GetValue(_users), parsed.GetValue(_events));
        var jsonl = parsed.GetValue(_jsonl);
        await using var services = await CliServices.BuildAsync(parsed, _store, _environment, cancellationToken);
        var shop = SampleShop.Generate(seed, services.GetRequiredService<TimeProvider>().GetUtcNow(), items, users, events);
        if (jsonl is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonl))!);
            await using var file = File.Create(jsonl);
            foreach (var e in shop.Events)
            {
                await file.WriteAsync(EventJson.ToUtf8(e), cancellationToken).ConfigureAwait(false);
                file.WriteByte((byte)'\n');
            }
        }

        var (stored, duplicates) = await shop.StoreAsync(
            services.GetRequiredService<IItemStore>(), services.GetRequiredService<IEventStore>(), cancellationToken).ConfigureAwait(false);

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"sample shop (seed {seed}): {shop.Items.Count:N0} items, {shop.Events.Count:N0} events from {shop.UserIds.Count:N0} shoppers: {stored:N0} stored, {duplicates:N0} duplicates; {RecoComposition.DescribeStorage(services)}"));
        if (jsonl is not null)
        {
            output.WriteLine($"events written to {jsonl}");
        }

        return 0;
    }
}
