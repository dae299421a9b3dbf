using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Flink.Tests;

public class FlinkServiceCollectionExtensionsTests
{
    [Fact]
    public void AddFlinkPlatforms_OptionsOutOfRange_FailValidationNamingEach()
    {
        using var services = Build(new()
        {
            ["AttemptTimeout"] = "00:00:00",
            ["MaxRetryAttempts"] = "-1",
            ["BreakerMinimumThroughput"] = "1",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FlinkClientOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(nameof(FlinkClientOptions.AttemptTimeout), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(FlinkClientOptions.MaxRetryAttempts), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(FlinkClientOptions.BreakerMinimumThroughput), StringComparison.Ordinal));
    }

    [Fact]
    public void AddFlinkPlatforms_Section_BindsOptions()
    {
        using var services = Build(new() { ["AttemptTimeout"] = "00:00:03", ["MaxRetryAttempts"] = "0" });

        var options = services.GetRequiredService<IOptions<FlinkClientOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(3), options.AttemptTimeout);
        Assert.Equal(0, options.MaxRetryAttempts);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddFlinkPlatforms(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
