using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;
using FlinkOpsBot.Testing.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Slack.Tests.Fakes;

/// <summary>The Slack services as the host registers them (<c>AddSlack</c>), pointed at a fake Slack with a test bot token.</summary>
internal static class SlackServices
{
    /// <summary>
    /// Builds them over <paramref name="conversations"/> (default: a new in-memory store) and <paramref name="clock"/>
    /// (default: the system clock, which <c>AddSlack</c> registers when none is).
    /// </summary>
    public static ServiceProvider Build(FakeSlackServer slack, IConversationStore? conversations = null, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        if (clock is not null) services.AddSingleton(clock);
        return services
            .AddSingleton(conversations ?? new InMemoryConversationStore())
            .AddSlack(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [nameof(SlackOptions.SigningSecret)] = SlackSigner.DocsSecret,
                [nameof(SlackOptions.BotToken)] = "xoxb-test-token",
                [nameof(SlackOptions.ApiBaseUrl)] = slack.ApiBaseUrl.ToString(),
            }).Build())
            .BuildServiceProvider();
    }
}
