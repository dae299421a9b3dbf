using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Manifests;

/// <summary>
/// The Teams app package: the manifest's documented limits (no Teams manifest schema is on this machine, so the
/// limits from ../shared/reference/chat-protocols.md §10 are checked one by one), the icons' sizes, and the zip script.
/// </summary>
public class TeamsManifestTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "manifests", "teams");
    private static readonly JsonElement Manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json"))).RootElement;

    [Fact]
    public void Manifest_RequiredFields_AreWithinTheirLimits()
    {
        Assert.True(Version.Parse(Manifest.GetProperty("manifestVersion").GetString()!) >= new Version(1, 22));
        Assert.True(Guid.TryParse(Manifest.GetProperty("id").GetString(), out _));
        Assert.Matches("^[0-9]+\\.[0-9]+\\.[0-9]+$", Manifest.GetProperty("version").GetString());
        Assert.InRange(Manifest.GetProperty("developer").GetProperty("name").GetString()!.Length, 1, 32);
        foreach (var url in new[] { "websiteUrl", "privacyUrl", "termsOfUseUrl" })
        {
            Assert.StartsWith("https://", Manifest.GetProperty("developer").GetProperty(url).GetString());
        }
        Assert.InRange(Manifest.GetProperty("name").GetProperty("short").GetString()!.Length, 1, 30);
        Assert.InRange(Manifest.GetProperty("name").GetProperty("full").GetString()!.Length, 1, 100);
        Assert.InRange(Manifest.GetProperty("description").GetProperty("short").GetString()!.Length, 1, 80);
        Assert.InRange(Manifest.GetProperty("description").GetProperty("full").GetString()!.Length, 1, 4000);
        Assert.Matches("^#[0-9A-Fa-f]{6}$", Manifest.GetProperty("accentColor").GetString());
    }

    [Fact]
    public void Manifest_Bot_ServesPersonalTeamAndGroupChatWithACommandList()
    {
        var bot = Assert.Single(Manifest.GetProperty("bots").EnumerateArray());

        Assert.Equal(Manifest.GetProperty("id").GetString(), bot.GetProperty("botId").GetString());
        Assert.Equal(["personal", "team", "groupChat"], bot.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var commands = Assert.Single(bot.GetProperty("commandLists").EnumerateArray()).GetProperty("commands").EnumerateArray().ToList();
        Assert.InRange(commands.Count, 1, 10);
        Assert.All(commands, c =>
        {
            Assert.InRange(c.GetProperty("title").GetString()!.Length, 1, 32);
            Assert.InRange(c.GetProperty("description").GetString()!.Length, 1, 128);
        });
        Assert.Contains(commands, c => c.GetProperty("title").GetString() == "upgrade");
    }

    [Theory]
    [InlineData("color.png", 192)]
    [InlineData("outline.png", 32)]
    public void Icons_HaveTheRequiredSizes(string file, int size)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));

        Assert.Equal("\x89PNG\r\n\x1a\n", string.Concat(bytes.Take(8).Select(b => (char)b)));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal(Manifest.GetProperty("icons").GetProperty(file.Split('.')[0]).GetString(), file);
    }

    [Fact]
    public async Task BuildPackage_AppIdAndHost_ZipsManifestAndIconsAtTheRoot()
    {
        const string appId = "6f1c9d0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";

        var (exitCode, output) = await RunAsync(appId, "flinkops.example.com", "1.0.7");

        Assert.True(exitCode == 0, output);
        var zipPath = output.Trim();
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order());
            using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
            var manifest = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
            Assert.Equal(appId, manifest.GetProperty("id").GetString());
            Assert.Equal(appId, manifest.GetProperty("bots")[0].GetProperty("botId").GetString());
            Assert.Equal("1.0.7", manifest.GetProperty("version").GetString());
            Assert.Equal("https://flinkops.example.com/privacy", manifest.GetProperty("developer").GetProperty("privacyUrl").GetString());
        }
        finally
        {
            File.Delete(zipPath);
        }
    }

    [Fact]
    public async Task BuildPackage_NotAGuid_RefusesAndSaysWhy()
    {
        var (exitCode, output) = await RunAsync("my-bot", "flinkops.example.com");

        Assert.Equal(2, exitCode);
        Assert.Contains("is not a GUID", output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Folder, "build-package.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await stdout + await stderr);
    }
}
