using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests;

/// <summary>One Azurite process for every test class that talks to Table Storage; each test uses its own tables.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
