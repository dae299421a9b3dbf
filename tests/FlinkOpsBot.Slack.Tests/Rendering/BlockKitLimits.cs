using System.Text.Json;

namespace FlinkOpsBot.Slack.Tests.Rendering;

/// <summary>Slack's Block Kit limits for a message (chat-protocols.md §6), as an oracle over the JSON sent to Slack.</summary>
internal static class BlockKitLimits
{
    public static IReadOnlyList<string> Violations(JsonElement blocks)
    {
        var violations = new List<string>();
        void Check(bool ok, string what)
        {
            if (!ok) violations.Add(what);
        }

        Check(blocks.GetArrayLength() <= 50, $"{blocks.GetArrayLength()} blocks > 50");
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.TryGetProperty("block_id", out var blockId)) Check(blockId.GetString()!.Length <= 255, "block_id > 255");
            switch (block.GetProperty("type").GetString())
            {
                case "header":
                    Check(block.GetProperty("text").GetProperty("type").GetString() == "plain_text", "header text not plain_text");
                    Check(Text(block.GetProperty("text")) <= 150, "header text > 150");
                    break;
                case "section":
                    if (block.TryGetProperty("text", out var text)) Check(Text(text) is >= 1 and <= 3000, $"section text {Text(text)} not in 1..3000");
                    if (block.TryGetProperty("fields", out var fields))
                    {
                        Check(fields.GetArrayLength() <= 10, "section fields > 10");
                        foreach (var field in fields.EnumerateArray()) Check(Text(field) <= 2000, "field > 2000");
                    }
                    break;
                case "context":
                    Check(block.GetProperty("elements").GetArrayLength() <= 10, "context elements > 10");
                    foreach (var element in block.GetProperty("elements").EnumerateArray()) Check(Text(element) is >= 1 and <= 3000, "context element not in 1..3000");
                    break;
                case "actions":
                    Check(block.GetProperty("elements").GetArrayLength() <= 25, "actions elements > 25");
                    foreach (var button in block.GetProperty("elements").EnumerateArray())
                    {
                        Check(Text(button.GetProperty("text")) <= 75, "button text > 75");
                        Check(button.GetProperty("action_id").GetString()!.Length <= 255, "action_id > 255");
                        Check(button.GetProperty("value").GetString()!.Length <= 2000, "button value > 2000");
                        if (!button.TryGetProperty("confirm", out var confirm)) continue;
                        Check(Text(confirm.GetProperty("title")) <= 100, "confirm title > 100");
                        Check(Text(confirm.GetProperty("text")) <= 300, "confirm text > 300");
                        Check(Text(confirm.GetProperty("confirm")) <= 30, "confirm button > 30");
                        Check(Text(confirm.GetProperty("deny")) <= 30, "deny button > 30");
                    }
                    break;
                default:
                    violations.Add($"unexpected block type {block.GetProperty("type")}");
                    break;
            }
        }
        return violations;
    }

    private static int Text(JsonElement textObject) => textObject.GetProperty("text").GetString()!.Length;
}
