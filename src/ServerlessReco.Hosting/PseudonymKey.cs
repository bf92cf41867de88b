using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Embedded;

namespace ServerlessReco.Hosting;

/// <summary>
/// Where the key of the pseudonymising door (<see cref="PseudonymisingEventStore"/>) comes from: <c>Reco:PseudonymKey</c>
/// (base64); without it, an embedded store generates one into its data directory, and Cosmos DB refuses to start:
/// instances that generated their own keys would each file a user's events under another pseudonym.
/// </summary>
public static class PseudonymKey
{
    public const string RequiredMessage =
        "Reco:PseudonymKey is required when events are stored in Cosmos DB: every instance must compute the same " +
        "pseudonyms, so no instance may generate its own key. In Azure it is a Key Vault reference that `azd provision` " +
        "sets up; elsewhere set Reco__PseudonymKey to base64 of 32 random bytes (e.g. `openssl rand -base64 32`).";

    public const string InvalidMessage =
        "Reco:PseudonymKey must be base64 of at least 32 random bytes. If it reads @Microsoft.KeyVault(...), the Key Vault " +
        "reference did not resolve: the app's identity needs the Key Vault Secrets User role, and the site's " +
        "keyVaultReferenceIdentity must name that identity.";

    /// <summary>The pseudonymiser of the configured key, or of the embedded store's key file.</summary>
    public static UserPseudonymiser Pseudonymiser(IServiceProvider services, StoragePlan storage)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(storage);
        var configured = services.GetRequiredService<IOptions<RecoOptions>>().Value.PseudonymKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return UserPseudonymiser.FromBase64(configured);
        }

        return storage.EventsInCosmos
            ? throw new InvalidOperationException(RequiredMessage)
            : LocalPseudonymKeyFile.ReadOrCreate(services.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value.DataDirectory);
    }
}
