// Cosmos DB for NoSQL, serverless (pay per request, nothing when idle), Entra ID only (local auth off).
// Database and containers match what the code reads: events and served lists partitioned by user, items by id.

@description('Cosmos DB account name: 3-44 lowercase letters, digits and hyphens.')
@minLength(3)
@maxLength(44)
param name string
param location string
param tags object

@description('Database name (Cosmos__Database).')
param databaseName string

@description('Days events are kept; 0 keeps them until they are erased.')
@minValue(0)
param retentionDays int

// Cosmos DB expires items by itself when a container has a default time-to-live (seconds).
// retentionDays > 0: every event expires that many days after its last write.
// retentionDays = 0: TTL stays ON with -1 ("no default expiry") rather than off, so that an item that
// carries its own `ttl` still expires; switching TTL off would make Cosmos DB ignore per-item ttl.
var eventsDefaultTtl = retentionDays > 0 ? retentionDays * 86400 : -1

@description('Days served recommendation lists are kept; 0 keeps them until they are erased.')
@minValue(0)
param servedListRetentionDays int = 30

var servedListsDefaultTtl = servedListRetentionDays > 0 ? servedListRetentionDays * 86400 : -1

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }

  resource database 'sqlDatabases' = {
    name: databaseName
    properties: {
      resource: {
        id: databaseName
      }
    }

    resource events 'containers' = {
      name: 'events'
      properties: {
        resource: {
          id: 'events'
          partitionKey: {
            paths: [
              '/userId'
            ]
            kind: 'Hash'
            version: 2
          }
          defaultTtl: eventsDefaultTtl
          // Only what the queries use is indexed (user, type, numeric timestamp), which keeps each write's RU charge low.
          // Same policy as CosmosSchema.EventsIndexedPaths in src/ServerlessReco.Azure.
          indexingPolicy: {
            indexingMode: 'consistent'
            automatic: true
            includedPaths: [
              {
                path: '/userId/?'
              }
              {
                path: '/type/?'
              }
              {
                path: '/ts/?'
              }
            ]
            excludedPaths: [
              {
                path: '/*'
              }
            ]
          }
        }
      }
    }

    // One document per served recommendation list, apart from the shoppers' events, with a shorter time-to-live.
    // Same policy as CosmosSchema.ServedListsIndexedPaths.
    resource servedLists 'containers' = {
      name: 'servedLists'
      properties: {
        resource: {
          id: 'servedLists'
          partitionKey: {
            paths: [
              '/userId'
            ]
            kind: 'Hash'
            version: 2
          }
          defaultTtl: servedListsDefaultTtl
          indexingPolicy: {
            indexingMode: 'consistent'
            automatic: true
            includedPaths: [
              {
                path: '/userId/?'
              }
              {
                path: '/ts/?'
              }
            ]
            excludedPaths: [
              {
                path: '/*'
              }
            ]
          }
        }
      }
    }

    resource items 'containers' = {
      name: 'items'
      properties: {
        resource: {
          id: 'items'
          partitionKey: {
            paths: [
              '/id'
            ]
            kind: 'Hash'
            version: 2
          }
          // Items are read by id or all at once: nothing needs an index.
          indexingPolicy: {
            indexingMode: 'consistent'
            automatic: true
            includedPaths: []
            excludedPaths: [
              {
                path: '/*'
              }
            ]
          }
        }
      }
    }
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = account::database.name
