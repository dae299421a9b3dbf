using System.Reflection;
using FlinkOpsBot.AzureTables;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Flink;
using FlinkOpsBot.Host.Composition;
using FlinkOpsBot.Slack;
using FlinkOpsBot.Teams;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;

namespace FlinkOpsBot.Host.Tests.Composition;

/// <summary>appsettings.sample.json is the settings reference: it must bind, and it must name every option.</summary>
public class SampleSettingsTests
{
    private static readonly IConfigurationRoot Sample = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RepoPaths.Root, "appsettings.sample.json"), optional: false)
        .Build();

    public static readonly TheoryData<string, Type> Sections = new()
    {
        { "Flink", typeof(FlinkClustersOptions) },
        { "Flink:Clusters:0", typeof(ClusterOptions) },
        { "Flink:Client", typeof(FlinkClientOptions) },
        { "Storage", typeof(TableStorageOptions) },
        { "Engine", typeof(RunLeaseOptions) },
        { "Gate", typeof(GatePolicy) },
        { "Authorization", typeof(AuthorizationOptions) },
        { "Authorization:Rules:0", typeof(AuthorizationRule) },
        { "Timeline", typeof(FlinkOpsBot.Core.Timeline.TimelineExportOptions) },
        { "Slack", typeof(SlackOptions) },
        { "Teams", typeof(TeamsOptions) },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Sample_NamesEverySettingOfTheSection(string section, Type options)
    {
        var missing = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => p.Name)
            .Where(name => !Sample.GetSection(section).GetSection(name).Exists() && Sample.GetSection(section)[name] is null)
            .ToList();

        Assert.True(missing.Count == 0, $"appsettings.sample.json lacks {string.Join(", ", missing.Select(m => section + ":" + m))}");
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Sample_HasNoSettingTheOptionsDoNotKnow(string section, Type options)
    {
        // Keys that belong to the host rather than to the section's options type.
        string[] hostKeys = section switch
        {
            "Flink" => ["Client"],
            "Storage" => ["InMemory"],
            _ => [],
        };
        var known = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Concat(hostKeys).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unknown = Sample.GetSection(section).GetChildren().Select(c => c.Key).Where(k => !known.Contains(k)).ToList();
        Sample.GetSection(section).Bind(Activator.CreateInstance(options)!);

        Assert.True(unknown.Count == 0, $"appsettings.sample.json has settings nothing reads: {string.Join(", ", unknown.Select(k => section + ":" + k))}");
    }

    [Fact]
    public void Sample_StorageInMemory_IsDocumentedAndOff() => Assert.Equal("False", Sample["Storage:InMemory"], ignoreCase: true);
}
