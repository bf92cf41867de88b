using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Embedded;

namespace ServerlessReco.Hosting;

/// <summary>
/// Puts the pseudonymising door (<see cref="PseudonymisingEventStore"/>) in front of whichever event store is
/// registered, so that no host (Functions, local host, CLI import) can store a raw user id. The key comes from
/// <c>Reco:PseudonymKey</c> (base64); without it, an embedded store generates one into its data directory, and
/// Cosmos DB refuses to start: instances that generated their own keys would each file a user's events under
/// another pseudonym.
/// </summary>
public static class PrivacyRegistration
{
    private const string InnerStoreKey = "pseudonymised";

    public const string KeyRequiredMessage =
        "Reco:PseudonymKey is required when events are stored in Cosmos DB: every instance must compute the same " +
        "pseudonyms, so no instance may generate its own key. In Azure it is a Key Vault reference that `azd provision` " +
        "sets up; elsewhere set Reco__PseudonymKey to base64 of 32 random bytes (e.g. `openssl rand -base64 32`).";

    public const string KeyInvalidMessage =
        "Reco:PseudonymKey must be base64 of at least 32 random bytes. If it reads @Microsoft.KeyVault(...), the Key Vault " +
        "reference did not resolve: the app's identity needs the Key Vault Secrets User role, and the site's " +
        "keyVaultReferenceIdentity must name that identity.";

    /// <summary>Call after every storage registration: it wraps the event store registered last.</summary>
    public static IServiceCollection AddUserPseudonyms(this IServiceCollection services, bool eventsInCosmos)
    {
        services.AddOptions<RecoOptions>()
            .Validate(o => string.IsNullOrWhiteSpace(o.PseudonymKey) || UserPseudonymiser.TryDecodeKey(o.PseudonymKey, out _, out _), KeyInvalidMessage)
            .Validate(o => !eventsInCosmos || !string.IsNullOrWhiteSpace(o.PseudonymKey), KeyRequiredMessage);

        services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<RecoOptions>>().Value.PseudonymKey;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return UserPseudonymiser.FromBase64(configured);
            }

            return eventsInCosmos
                ? throw new InvalidOperationException(KeyRequiredMessage)
                : LocalPseudonymKeyFile.ReadOrCreate(sp.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value.DataDirectory);
        });

        // The configured store moves to a keyed registration (the container still owns and disposes it), and
        // the unkeyed IEventStore every consumer asks for becomes the door in front of it.
        var configuredStore = services.Last(d => d.ServiceType == typeof(IEventStore) && !d.IsKeyedService);
        services.Remove(configuredStore);
        services.Add(ServiceDescriptor.KeyedSingleton(typeof(IEventStore), InnerStoreKey, (sp, _) => Create(sp, configuredStore)));
        services.AddSingleton<IEventStore>(sp => new PseudonymisingEventStore(
            sp.GetRequiredKeyedService<IEventStore>(InnerStoreKey),
            sp.GetRequiredService<UserPseudonymiser>()));

        // ASP.NET Core logs every request's path at Information, and user routes carry the raw id
        // (/api/users/{userId}/...): only its warnings are kept.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        return services;
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
