using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Teams.Connector;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Teams.Tests.Fakes;

/// <summary>AddTeams' outbound half (token, Connector client, channel) against the fake token endpoint and Connector, on a watched clock.</summary>
internal sealed class ConnectorHarness : IAsyncDisposable
{
    private ConnectorHarness(ServiceProvider services, FakeConnectorServer connector, FakeTokenEndpoint tokens)
    {
        Services = services;
        Connector = connector;
        Tokens = tokens;
    }

    public ServiceProvider Services { get; }

    public FakeConnectorServer Connector { get; }

    public FakeTokenEndpoint Tokens { get; }

    public WatchedClock Clock => (WatchedClock)Services.GetRequiredService<TimeProvider>();

    public InMemoryConversationStore Conversations => (InMemoryConversationStore)Services.GetRequiredService<IConversationStore>();

    public ConnectorClient Client => Services.GetRequiredService<ConnectorClient>();

    public ServiceUrls ServiceUrls => Services.GetRequiredService<ServiceUrls>();

    public static async Task<ConnectorHarness> StartAsync()
    {
        var connector = await FakeConnectorServer.StartAsync();
        var tokens = await FakeTokenEndpoint.StartAsync();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(new WatchedClock())
            .AddSingleton<IConversationStore>(new InMemoryConversationStore())
            .AddSingleton<IInboundTokenValidator, FakeTokenValidator>()
            .AddTeams(new ConfigurationBuilder().AddInMemoryCollection(TeamsTestHost.Settings(tokens)).Build())
            .BuildServiceProvider();
        return new ConnectorHarness(services, connector, tokens);
    }

    /// <summary>Trusts the fake Connector's serviceUrl as a verified activity from <paramref name="conversationId"/> would.</summary>
    public Uri Verified(string conversationId)
    {
        ServiceUrls.RememberVerified(Connector.ServiceUrl, conversationId);
        return Connector.ServiceUrl;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Connector.DisposeAsync();
        await Tokens.DisposeAsync();
    }
}
