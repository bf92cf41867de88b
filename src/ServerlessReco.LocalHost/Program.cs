using ServerlessReco.Hosting;
using ServerlessReco.LocalHost;

// `--sample-shop` is ours, not a configuration key: take it out before the host reads the arguments.
var withSampleShop = args.Contains(SampleShopSeeder.Flag);
var app = LocalFunctionsHost.Build([.. args.Where(a => a != SampleShopSeeder.Flag)]);

// Starting checks the settings and prepares the storage (StorageSchema): only then can the sample shop be stored.
await app.StartAsync();
app.Logger.LogInformation("Storage: {Storage}", RecoComposition.DescribeStorage(app.Services));
foreach (var url in app.Urls)
{
    app.Logger.LogInformation("Dashboard: {DashboardUrl} ({KeyNote})", url + LocalFunctionsHost.DashboardPath,
        string.IsNullOrEmpty(app.Configuration[LocalAdminKey.Setting]) ? "this host checks no keys: paste any key" : "paste the key of LocalHost:AdminKey");
}

if (withSampleShop)
{
    await SampleShopSeeder.SeedIfEmptyAsync(app.Services, app.Logger);
}

await app.WaitForShutdownAsync();
