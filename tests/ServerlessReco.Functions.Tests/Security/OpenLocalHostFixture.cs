namespace ServerlessReco.Functions.Tests.Security;

/// <summary>The local host as a shop that serves browsers would run it: CORS for two origins, anonymous reads on.</summary>
public sealed class OpenLocalHostFixture() : LocalHostFixture(
[
    $"--Host:CORS={ShopOrigin}, {OtherAllowedOrigin}",
    "--Host:CORSCredentials=true",
    "--Reco:AllowAnonymousReads=true",
])
{
    public const string ShopOrigin = "https://shop.example";
    public const string OtherAllowedOrigin = "http://localhost:3000";
}
