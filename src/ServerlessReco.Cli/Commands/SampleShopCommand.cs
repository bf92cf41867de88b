using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Core.Ingestion.History;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Core.Storage;
using ServerlessReco.Hosting;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// <c>reco sample-shop</c>: loads a generated demo shop (<see cref="SampleShop"/>) into the configured store,
/// or writes its events as JSON Lines for <c>reco import</c>. Loading the same seed twice stores nothing new.
/// </summary>
public sealed class SampleShopCommand : ICliCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;

    public SampleShopCommand()
        : this(environment: null)
    {
    }

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public SampleShopCommand(IEnumerable<KeyValuePair<string, string?>>? environment) => _environment = environment;

    public string Name => "sample-shop";

    public string Summary => "load a generated demo shop (catalogue and a month of events) into the store";

    public string Usage => $"""
        reco sample-shop [--seed N] [--items N] [--users N] [--events N] [--data-dir DIR] [--retention-days N] [--jsonl PATH]

        Generates a shop (12 categories, Zipf-like popularity, shoppers loyal to a few categories, session funnels of
        views, clicks, add-to-carts, purchases and ratings over the last 30 days) and stores it. The same seed gives the
        same ids, so loading it twice stores nothing the second time.
          --seed N               default 42
          --items N              catalogue size, default 300
          --users N              shoppers, default 400
          --events N             events, default 5000
          --jsonl PATH           also write the events as JSON Lines (the input of `reco import`)
        {CliServices.ShortcutUsage}
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var seed = arguments.Int("seed", 42);
        var items = arguments.Int("items", 300);
        var users = arguments.Int("users", 400);
        var events = arguments.Int("events", 5000);
        var jsonl = arguments.Option("jsonl");
        if (items < 1 || users < 1 || events < 0)
        {
            throw new CliUsageException("--items and --users must be at least 1, --events at least 0.");
        }

        await using var services = await CliServices.BuildAsync(arguments, _environment, cancellationToken);
        if (arguments.Unread().Count > 0 || arguments.Positional.Count > 0)
        {
            throw new CliUsageException($"unknown arguments: {string.Join(" ", arguments.Unread().Select(o => "--" + o).Concat(arguments.Positional))}.");
        }

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
