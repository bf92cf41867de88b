using ServerlessReco.Hosting;
using ServerlessReco.LocalHost;

// `--sample-shop` is ours, not a configuration key: take it out before the host reads the arguments.
var withSampleShop = args.Contains(SampleShopSeeder.Flag);
var app = LocalFunctionsHost.Build([.. args.Where(a => a != SampleShopSeeder.Flag)]);
var readiness = app.Services.GetRequiredService<LocalReadiness>();
if (withSampleShop)
{
    // Listening starts before the sample shop is in; until its first model serves, requests get 503 with Retry-After
    // rather than a popularity-fallback list that would give a newcomer the wrong first impression.
    readiness.NotReady();
}

// Starting checks the settings and prepares the storage (StorageSchema): only then can the sample shop be stored.
await app.StartAsync();
app.Logger.LogInformation("Storage: {Storage}", RecoComposition.DescribeStorage(app.Services));
if (withSampleShop)
{
    try
    {
        await SampleShopSeeder.SeedIfEmptyAsync(app.Services, app.Logger);
    }
    finally
    {
        readiness.Ready(); // a failed seeding is logged; the host then serves what the store has
    }
}

foreach (var url in app.Urls)
{
    app.Logger.LogInformation("Ready: API on {Url}/api, dashboard on {DashboardUrl} ({KeyNote})", url, url + LocalFunctionsHost.DashboardPath,
        string.IsNullOrEmpty(app.Configuration[LocalAdminKey.Setting]) ? "this host checks no keys: paste any key" : "paste the key of LocalHost:AdminKey");
}

await app.WaitForShutdownAsync();
