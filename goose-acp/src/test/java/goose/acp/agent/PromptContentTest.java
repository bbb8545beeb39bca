package goose.acp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.acp.rpc.RpcException;
import goose.conversation.Content;
import goose.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptContentTest {
  private static final String PNG = "iVBORw0KGgo=";

  @Test
  void readsTextImagesLinksAndEmbeddedResources() {
    var prompt = Json.MAPPER.createArrayNode();
    prompt.addObject().put("type", "text").put("text", "look at these");
    prompt.addObject().put("type", "image").put("data", PNG).put("mimeType", "image/png");
    prompt
        .addObject()
        .put("type", "resource_link")
        .put("uri", "file:///w/a.txt")
        .put("name", "a.txt");
    prompt
        .addObject()
        .put("type", "resource")
        .putObject("resource")
        .put("uri", "file:///w/b.txt")
        .put("text", "bee");
    prompt
        .addObject()
        .put("type", "resource")
        .putObject("resource")
        .put("uri", "file:///w/c.png")
        .put("mimeType", "image/png")
        .put("blob", PNG);
    List<Content> parts = PromptContent.parse(prompt);
    assertThat(parts)
        .containsExactly(
            new Content.Text("look at these"),
            new Content.Image(PNG, "image/png"),
            new Content.Text("[a.txt](file:///w/a.txt)"),
            new Content.Text("Contents of file:///w/b.txt:\n```\nbee\n```"),
            new Content.Image(PNG, "image/png"));
  }

  @Test
  void refusesWhatItCannotTakeNamingTheBlock() {
    var audio = Json.MAPPER.createArrayNode();
    audio.addObject().put("type", "text").put("text", "hi");
    audio.addObject().put("type", "audio").put("data", "AAAA").put("mimeType", "audio/wav");
    assertThatThrownBy(() -> PromptContent.parse(audio))
        .isInstanceOf(RpcException.class)
        .satisfies(
            e ->
                assertThat(((RpcException) e).data().orElseThrow().asText()).contains("prompt[1]"));
    var badImage = Json.MAPPER.createArrayNode();
    badImage.addObject().put("type", "image").put("data", "%%%").put("mimeType", "image/png");
    assertThatThrownBy(() -> PromptContent.parse(badImage))
        .satisfies(
            e -> assertThat(((RpcException) e).data().orElseThrow().asText()).contains("base64"));
    assertThatThrownBy(() -> PromptContent.parse(Json.MAPPER.createArrayNode()))
        .isInstanceOf(RpcException.class);
    var blob = Json.MAPPER.createArrayNode();
    blob.addObject()
        .put("type", "resource")
        .putObject("resource")
        .put("uri", "file:///w/x.bin")
        .put("mimeType", "application/octet-stream")
        .put("blob", "AAAA");
    assertThatThrownBy(() -> PromptContent.parse(blob)).isInstanceOf(RpcException.class);
  }
}
