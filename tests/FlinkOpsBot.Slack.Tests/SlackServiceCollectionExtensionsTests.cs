using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack.Tests;

public class SlackServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSlack_SecretsMissing_FailsValidationNamingEachSetting()
    {
        using var services = Build([]);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SlackOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Slack:SigningSecret is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Slack:BotToken is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ApiBaseUrl", "https://slack.com/api", "Slack:ApiBaseUrl")]
    [InlineData("ApiBaseUrl", "/api/", "Slack:ApiBaseUrl")]
    [InlineData("AckBudget", "00:00:03", "Slack:AckBudget")]
    [InlineData("AckBudget", "00:00:00", "Slack:AckBudget")]
    public void AddSlack_SettingOutOfRange_FailsValidationNamingIt(string key, string value, string expected)
    {
        using var services = Build(new() { ["SigningSecret"] = "s", ["BotToken"] = "xoxb-1", [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SlackOptions>>().Value);

        Assert.StartsWith(expected, Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddSlack_OnlySecrets_UsesTheDefaults()
    {
        using var services = Build(new() { ["SigningSecret"] = "s", ["BotToken"] = "xoxb-1" });

        var options = services.GetRequiredService<IOptions<SlackOptions>>().Value;

        Assert.Equal(new Uri("https://slack.com/api/"), options.ApiBaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.AckBudget);
        Assert.Null(options.AppId);
    }

    [Fact]
    public async Task AddSlack_HostStartsWithoutSecrets_FailsAtStart()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddSlack(new ConfigurationBuilder().Build());
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("Slack:SigningSecret", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSlack(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
