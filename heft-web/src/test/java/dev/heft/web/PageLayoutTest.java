package dev.heft.web;

import static dev.heft.web.Browser.awaitReady;
import static dev.heft.web.Browser.driver;
import static dev.heft.web.Browser.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Layout, measured in the browser: at a desktop, a tablet and a phone width no chart label leaves its chart or
 * overlaps another (element bounding boxes), the page never scrolls sideways, the verdict's facts do not collide;
 * series and text colours keep their contrast in light and dark mode; and the page can be driven from the keyboard.
 * Screenshots of each width are kept under target/screenshots.
 */
@ExtendWith(Browser.class)
class PageLayoutTest {
    /** Pages that draw every kind of chart: inference with compare, training, a vision model. */
    private static final String[] PAGES = {
        "model=llama-3-70b&dtype=Q4_K_M&device=rtx-4090&compare=qwen2.5-72b",
        "model=llama-3-8b&mode=training&method=lora&device=rtx-4090",
        "model=resnet50&device=jetson-orin",
    };

    @AfterEach
    void reset() {
        Browser.desktop();
        Browser.colorScheme("light");
    }

    /**
     * Every chart's text boxes: each must lie inside its SVG and touch no other. Returns the problems found, one line
     * each (empty when the layout is clean).
     */
    @SuppressWarnings("unchecked")
    private static List<String> chartLabelProblems() {
        return (List<String>) driver.executeScript("""
                const out = [];
                for (const svg of document.querySelectorAll('.chart svg')) {
                  if (svg.closest('[hidden]')) continue;
                  const id = svg.parentElement.id;
                  const box = svg.getBoundingClientRect();
                  const texts = [...svg.querySelectorAll('text')].map(t => ({t: t.textContent, r: t.getBoundingClientRect()}))
                    .filter(x => x.t.trim() !== '');
                  if (!texts.length) out.push(id + ': no labels');
                  for (const x of texts) {
                    if (x.r.left < box.left - 0.5 || x.r.right > box.right + 0.5 || x.r.top < box.top - 0.5
                        || x.r.bottom > box.bottom + 0.5) {
                      out.push(id + ': "' + x.t + '" leaves the chart ' + JSON.stringify([x.r.left, x.r.right, box.left, box.right]));
                    }
                  }
                  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
                    const a = texts[i].r, b = texts[j].r;
                    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                    if (w > 0.5 && h > 0.5) out.push(id + ': "' + texts[i].t + '" overlaps "' + texts[j].t + '"');
                  }
                }
                return out;""");
    }

    @SuppressWarnings("unchecked")
    private static List<String> pageProblems() {
        return (List<String>) driver.executeScript("""
                const out = [];
                const doc = document.documentElement;
                if (doc.scrollWidth > window.innerWidth + 1) out.push('the page scrolls sideways: ' + doc.scrollWidth
                    + ' > ' + window.innerWidth);
                const facts = [...document.querySelectorAll('#verdict-facts > div')].map(d => d.getBoundingClientRect());
                for (let i = 0; i < facts.length; i++) for (let j = i + 1; j < facts.length; j++) {
                  const a = facts[i], b = facts[j];
                  if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
                      && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5) out.push('verdict facts overlap');
                }
                for (const e of document.querySelectorAll('.card, fieldset, h1, h2, #summary')) {
                  if (e.closest('[hidden]')) continue;
                  const r = e.getBoundingClientRect();
                  if (r.right > window.innerWidth + 1) out.push((e.id || e.tagName) + ' runs past the window');
                }
                return out;""");
    }

    @Test
    void noChartLabelClipsOrOverlapsAtThreeWidths() {
        int[] widths = {Browser.DESKTOP, Browser.TABLET, Browser.PHONE};
        String[] names = {"inference", "training", "vision"};
        List<String> problems = new ArrayList<>();
        int charts = 0;
        for (int w : widths) {
            Browser.width(w);
            for (int p = 0; p < PAGES.length; p++) {
                Browser.open(PAGES[p]);
                for (String problem : chartLabelProblems()) {
                    problems.add(w + "px " + names[p] + ": " + problem);
                }
                for (String problem : pageProblems()) {
                    problems.add(w + "px " + names[p] + ": " + problem);
                }
                charts += ((Number) driver.executeScript("return [...document.querySelectorAll('.chart svg')]"
                                + ".filter(s => !s.closest('[hidden]')).length"))
                        .intValue();
                Browser.shot("layout-" + names[p] + "-" + w + ".png");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(charts).isGreaterThanOrEqualTo(3 * 10);
    }

    @Test
    void chartsAreRedrawnForTheWidthTheyHave() {
        Browser.width(Browser.DESKTOP);
        Browser.open(PAGES[0]);
        double wide = svgWidth("memory-chart");
        Browser.width(Browser.PHONE);
        waiting().until(d -> svgWidth("memory-chart") < wide);
        // Laid out for the phone's width, not shrunk: the SVG is as wide as its box and its text is not scaled.
        double box = ((Number) driver.executeScript("return document.getElementById('memory-chart').clientWidth"))
                .doubleValue();
        assertThat(svgWidth("memory-chart")).isLessThanOrEqualTo(box).isGreaterThan(box - 40);
        assertThat(chartLabelProblems()).isEmpty();
    }

    private static double svgWidth(String id) {
        return ((Number) driver.executeScript(
                        "const s = document.querySelector('#' + arguments[0] + ' svg'); "
                                + "return s ? s.width.baseVal.value : 0",
                        id))
                .doubleValue();
    }

    /** WCAG 2.1 contrast: graphics (series colours) 3:1 against the background, text 4.5:1. */
    @Test
    @SuppressWarnings("unchecked") // executeScript answers JSON objects as Map<String, Object>
    void coloursKeepTheirContrastInLightAndDark() {
        for (String scheme : new String[] {"light", "dark"}) {
            Browser.colorScheme(scheme);
            Browser.open("model=llama-3.2-1b&dtype=Q4_K_M&compare=llama-3-8b&device=rtx-4090");
            Map<String, Object> c = (Map<String, Object>) driver.executeScript("""
                    const css = getComputedStyle(document.documentElement);
                    const v = (n) => css.getPropertyValue(n).trim();
                    const out = {bg: v('--bg'), card: v('--card'), panel: v('--panel'), text: {}, series: {}};
                    for (const n of ['--fg', '--muted', '--bad', '--good', '--warn', '--accent']) out.text[n] = v(n);
                    for (let i = 1; i <= 8; i++) out.series['--c' + i] = v('--c' + i);
                    out.body = getComputedStyle(document.body).backgroundColor;
                    return out;""");
            if (scheme.equals("dark")) {
                assertThat(c.get("body")).isEqualTo("rgb(15, 18, 23)");
            }
            for (String bg : new String[] {"bg", "card", "panel"}) {
                double[] b = rgb((String) c.get(bg));
                ((Map<String, String>) c.get("series"))
                        .forEach((k, v) -> assertThat(contrast(rgb(v), b))
                                .as(scheme + " " + k + " on " + bg)
                                .isGreaterThanOrEqualTo(3.0));
                ((Map<String, String>) c.get("text"))
                        .forEach((k, v) -> assertThat(contrast(rgb(v), b))
                                .as(scheme + " " + k + " on " + bg)
                                .isGreaterThanOrEqualTo(4.5));
            }
            Browser.shot("page-" + scheme + "-compare.png");
        }
    }

    @Test
    void thePageWorksFromTheKeyboard() {
        Browser.open("model=llama-3-8b&device=h100-sxm");
        // The model list: focus, type, arrow down twice to the second match, Enter.
        WebElement model = driver.findElement(By.id("model"));
        model.click();
        model.sendKeys(Keys.chord(Keys.CONTROL, "a"), "mistral");
        waiting()
                .until(d -> d.findElements(By.cssSelector("#model-list [role=option]"))
                                .size()
                        >= 2);
        assertThat(model.getAttribute("aria-expanded")).isEqualTo("true");
        List<WebElement> options = driver.findElements(By.cssSelector("#model-list [role=option]"));
        String second = options.get(1).getAttribute("data-value");
        model.sendKeys(Keys.ARROW_DOWN);
        assertThat(model.getAttribute("aria-activedescendant"))
                .isEqualTo(options.get(0).getAttribute("id"));
        model.sendKeys(Keys.ARROW_DOWN);
        assertThat(model.getAttribute("aria-activedescendant"))
                .isEqualTo(options.get(1).getAttribute("id"));
        model.sendKeys(Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().contains("model=" + second));
        awaitReady();
        // Escape closes a list without changing the choice.
        WebElement device = driver.findElement(By.id("device"));
        device.click();
        device.sendKeys(Keys.chord(Keys.CONTROL, "a"), "4090");
        waiting().until(d -> "true".equals(d.findElement(By.id("device")).getAttribute("aria-expanded")));
        device.sendKeys(Keys.ESCAPE);
        assertThat(device.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(driver.getCurrentUrl()).doesNotContain("device=rtx-4090");
        // Tab moves on through native controls; the precision select changes with the arrow keys.
        device.sendKeys("4090", Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().contains("device=rtx-4090"));
        awaitReady();
        WebElement dtype = driver.findElement(By.id("dtype"));
        new Actions(driver).moveToElement(dtype).perform();
        driver.executeScript("arguments[0].focus()", dtype);
        String before = dtype.getAttribute("value");
        dtype.sendKeys(Keys.ARROW_DOWN);
        waiting()
                .until(d -> !d.getCurrentUrl().contains("dtype=" + before)
                        && d.findElement(By.id("status"))
                                .getAttribute("data-state")
                                .equals("ready"));
        assertThat(dtype.getAttribute("value")).isNotEqualTo(before);
        // The searchable device list has its groups as the page's categories.
        device.click();
        device.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.ARROW_DOWN);
        String list = driver.findElement(By.id("device-list")).getText();
        assertThat(list)
                .contains("DATA-CENTRE GPUS")
                .contains("CONSUMER GPUS")
                .contains("APPLE SILICON")
                .contains("PHONES");
        device.sendKeys(Keys.ESCAPE);
        // The fit table's devices: a filterable checklist.
        driver.findElement(By.cssSelector("#devices-box summary")).click();
        driver.findElement(By.id("devices-filter")).sendKeys("rtx");
        List<WebElement> boxes = driver.findElements(By.cssSelector("#devices label.check"));
        List<String> shown = boxes.stream()
                .filter(WebElement::isDisplayed)
                .map(WebElement::getText)
                .toList();
        // Only the RTX cards are left (how many grows with the device catalog), each naming what was typed.
        assertThat(shown)
                .isNotEmpty()
                .hasSizeLessThan(boxes.size())
                .allSatisfy(label ->
                        assertThat(label.toLowerCase(java.util.Locale.ROOT)).contains("rtx"));
    }

    private static double[] rgb(String css) {
        String s = css.trim();
        if (s.startsWith("#")) {
            return new double[] {
                Integer.parseInt(s.substring(1, 3), 16),
                Integer.parseInt(s.substring(3, 5), 16),
                Integer.parseInt(s.substring(5, 7), 16)
            };
        }
        String[] p = s.substring(s.indexOf('(') + 1, s.indexOf(')')).split(",");
        return new double[] {
            Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()), Double.parseDouble(p[2].trim())
        };
    }

    /** WCAG 2.1 relative luminance and contrast ratio. */
    private static double contrast(double[] a, double[] b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(double[] c) {
        double[] l = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = c[i] / 255;
            l[i] = s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    }
}
