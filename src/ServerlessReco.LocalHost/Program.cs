using ServerlessReco.Hosting;
using ServerlessReco.LocalHost;

var app = LocalFunctionsHost.Build(args);
app.Logger.LogInformation("Storage: {Storage}", StorageRegistration.DescribeStorage(app.Services));
await app.RunAsync();
