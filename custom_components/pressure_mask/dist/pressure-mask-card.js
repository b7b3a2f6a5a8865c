// pressure-mask-card 0.1.0: built from frontend/ by "npm run build"; do not edit.
var D=globalThis,I=D.ShadowRoot&&(D.ShadyCSS===void 0||D.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,B=Symbol(),le=new WeakMap,M=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==B)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(I&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=le.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&le.set(t,e))}return e}toString(){return this.cssText}},ce=r=>new M(typeof r=="string"?r:r+"",void 0,B),F=(r,...e)=>{let t=r.length===1?r[0]:e.reduce((s,n,i)=>s+(a=>{if(a._$cssResult$===!0)return a.cssText;if(typeof a=="number")return a;throw Error("Value passed to 'css' function must be a 'css' function result: "+a+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(n)+r[i+1],r[0]);return new M(t,r,B)},de=(r,e)=>{if(I)r.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),n=D.litNonce;n!==void 0&&s.setAttribute("nonce",n),s.textContent=t.cssText,r.appendChild(s)}},W=I?r=>r:r=>r instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return ce(t)})(r):r;var{is:Ve,defineProperty:Ke,getOwnPropertyDescriptor:je,getOwnPropertyNames:Ze,getOwnPropertySymbols:Be,getPrototypeOf:Fe}=Object,V=globalThis,ue=V.trustedTypes,We=ue?ue.emptyScript:"",Qe=V.reactiveElementPolyfillSupport,T=(r,e)=>r,Q={toAttribute(r,e){switch(e){case Boolean:r=r?We:null;break;case Object:case Array:r=r==null?r:JSON.stringify(r)}return r},fromAttribute(r,e){let t=r;switch(e){case Boolean:t=r!==null;break;case Number:t=r===null?null:Number(r);break;case Object:case Array:try{t=JSON.parse(r)}catch{t=null}}return t}},he=(r,e)=>!Ve(r,e),pe={attribute:!0,type:String,converter:Q,reflect:!1,useDefault:!1,hasChanged:he};Symbol.metadata??=Symbol("metadata"),V.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=pe){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),n=this.getPropertyDescriptor(e,s,t);n!==void 0&&Ke(this.prototype,e,n)}}static getPropertyDescriptor(e,t,s){let{get:n,set:i}=je(this.prototype,e)??{get(){return this[t]},set(a){this[t]=a}};return{get:n,set(a){let d=n?.call(this);i?.call(this,a),this.requestUpdate(e,d,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??pe}static _$Ei(){if(this.hasOwnProperty(T("elementProperties")))return;let e=Fe(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(T("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(T("properties"))){let t=this.properties,s=[...Ze(t),...Be(t)];for(let n of s)this.createProperty(n,t[n])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,n]of t)this.elementProperties.set(s,n)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let n=this._$Eu(t,s);n!==void 0&&this._$Eh.set(n,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let n of s)t.unshift(W(n))}else e!==void 0&&t.push(W(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return de(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),n=this.constructor._$Eu(e,s);if(n!==void 0&&s.reflect===!0){let i=(s.converter?.toAttribute!==void 0?s.converter:Q).toAttribute(t,s.type);this._$Em=e,i==null?this.removeAttribute(n):this.setAttribute(n,i),this._$Em=null}}_$AK(e,t){let s=this.constructor,n=s._$Eh.get(e);if(n!==void 0&&this._$Em!==n){let i=s.getPropertyOptions(n),a=typeof i.converter=="function"?{fromAttribute:i.converter}:i.converter?.fromAttribute!==void 0?i.converter:Q;this._$Em=n;let d=a.fromAttribute(t,i.type);this[n]=d??this._$Ej?.get(n)??d,this._$Em=null}}requestUpdate(e,t,s,n=!1,i){if(e!==void 0){let a=this.constructor;if(n===!1&&(i=this[e]),s??=a.getPropertyOptions(e),!((s.hasChanged??he)(i,t)||s.useDefault&&s.reflect&&i===this._$Ej?.get(e)&&!this.hasAttribute(a._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:n,wrapped:i},a){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,a??t??this[e]),i!==!0||a!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),n===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[n,i]of this._$Ep)this[n]=i;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[n,i]of s){let{wrapped:a}=i,d=this[n];a!==!0||this._$AL.has(n)||d===void 0||this.C(n,void 0,i,d)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};_.elementStyles=[],_.shadowRootOptions={mode:"open"},_[T("elementProperties")]=new Map,_[T("finalized")]=new Map,Qe?.({ReactiveElement:_}),(V.reactiveElementVersions??=[]).push("2.1.2");var te=globalThis,fe=r=>r,K=te.trustedTypes,me=K?K.createPolicy("lit-html",{createHTML:r=>r}):void 0,ve="$lit$",b=`lit$${Math.random().toFixed(9).slice(2)}$`,xe="?"+b,qe=`<${xe}>`,S=document,N=()=>S.createComment(""),P=r=>r===null||typeof r!="object"&&typeof r!="function",se=Array.isArray,Ye=r=>se(r)||typeof r?.[Symbol.iterator]=="function",q=`[ 	
\f\r]`,z=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,ge=/-->/g,_e=/>/g,x=RegExp(`>|${q}(?:([^\\s"'>=/]+)(${q}*=${q}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),ye=/'/g,$e=/"/g,ke=/^(?:script|style|textarea|title)$/i,ne=r=>(e,...t)=>({_$litType$:r,strings:e,values:t}),h=ne(1),y=ne(2),ht=ne(3),A=Symbol.for("lit-noChange"),l=Symbol.for("lit-nothing"),be=new WeakMap,k=S.createTreeWalker(S,129);function Se(r,e){if(!se(r)||!r.hasOwnProperty("raw"))throw Error("invalid template strings array");return me!==void 0?me.createHTML(e):e}var Ge=(r,e)=>{let t=r.length-1,s=[],n,i=e===2?"<svg>":e===3?"<math>":"",a=z;for(let d=0;d<t;d++){let o=r[d],c,p,u=-1,m=0;for(;m<o.length&&(a.lastIndex=m,p=a.exec(o),p!==null);)m=a.lastIndex,a===z?p[1]==="!--"?a=ge:p[1]!==void 0?a=_e:p[2]!==void 0?(ke.test(p[2])&&(n=RegExp("</"+p[2],"g")),a=x):p[3]!==void 0&&(a=x):a===x?p[0]===">"?(a=n??z,u=-1):p[1]===void 0?u=-2:(u=a.lastIndex-p[2].length,c=p[1],a=p[3]===void 0?x:p[3]==='"'?$e:ye):a===$e||a===ye?a=x:a===ge||a===_e?a=z:(a=x,n=void 0);let f=a===x&&r[d+1].startsWith("/>")?" ":"";i+=a===z?o+qe:u>=0?(s.push(c),o.slice(0,u)+ve+o.slice(u)+b+f):o+b+(u===-2?d:f)}return[Se(r,i+(r[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},R=class r{constructor({strings:e,_$litType$:t},s){let n;this.parts=[];let i=0,a=0,d=e.length-1,o=this.parts,[c,p]=Ge(e,t);if(this.el=r.createElement(c,s),k.currentNode=this.el.content,t===2||t===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(n=k.nextNode())!==null&&o.length<d;){if(n.nodeType===1){if(n.hasAttributes())for(let u of n.getAttributeNames())if(u.endsWith(ve)){let m=p[a++],f=n.getAttribute(u).split(b),C=/([.?@])?(.*)/.exec(m);o.push({type:1,index:i,name:C[2],strings:f,ctor:C[1]==="."?G:C[1]==="?"?J:C[1]==="@"?X:E}),n.removeAttribute(u)}else u.startsWith(b)&&(o.push({type:6,index:i}),n.removeAttribute(u));if(ke.test(n.tagName)){let u=n.textContent.split(b),m=u.length-1;if(m>0){n.textContent=K?K.emptyScript:"";for(let f=0;f<m;f++)n.append(u[f],N()),k.nextNode(),o.push({type:2,index:++i});n.append(u[m],N())}}}else if(n.nodeType===8)if(n.data===xe)o.push({type:2,index:i});else{let u=-1;for(;(u=n.data.indexOf(b,u+1))!==-1;)o.push({type:7,index:i}),u+=b.length-1}i++}}static createElement(e,t){let s=S.createElement("template");return s.innerHTML=e,s}};function w(r,e,t=r,s){if(e===A)return e;let n=s!==void 0?t._$Co?.[s]:t._$Cl,i=P(e)?void 0:e._$litDirective$;return n?.constructor!==i&&(n?._$AO?.(!1),i===void 0?n=void 0:(n=new i(r),n._$AT(r,t,s)),s!==void 0?(t._$Co??=[])[s]=n:t._$Cl=n),n!==void 0&&(e=w(r,n._$AS(r,e.values),n,s)),e}var Y=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,n=(e?.creationScope??S).importNode(t,!0);k.currentNode=n;let i=k.nextNode(),a=0,d=0,o=s[0];for(;o!==void 0;){if(a===o.index){let c;o.type===2?c=new L(i,i.nextSibling,this,e):o.type===1?c=new o.ctor(i,o.name,o.strings,this,e):o.type===6&&(c=new ee(i,this,e)),this._$AV.push(c),o=s[++d]}a!==o?.index&&(i=k.nextNode(),a++)}return k.currentNode=S,n}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},L=class r{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,n){this.type=2,this._$AH=l,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=n,this._$Cv=n?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=w(this,e,t),P(e)?e===l||e==null||e===""?(this._$AH!==l&&this._$AR(),this._$AH=l):e!==this._$AH&&e!==A&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):Ye(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==l&&P(this._$AH)?this._$AA.nextSibling.data=e:this.T(S.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,n=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=R.createElement(Se(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===n)this._$AH.p(t);else{let i=new Y(n,this),a=i.u(this.options);i.p(t),this.T(a),this._$AH=i}}_$AC(e){let t=be.get(e.strings);return t===void 0&&be.set(e.strings,t=new R(e)),t}k(e){se(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,n=0;for(let i of e)n===t.length?t.push(s=new r(this.O(N()),this.O(N()),this,this.options)):s=t[n],s._$AI(i),n++;n<t.length&&(this._$AR(s&&s._$AB.nextSibling,n),t.length=n)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=fe(e).nextSibling;fe(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},E=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,n,i){this.type=1,this._$AH=l,this._$AN=void 0,this.element=e,this.name=t,this._$AM=n,this.options=i,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=l}_$AI(e,t=this,s,n){let i=this.strings,a=!1;if(i===void 0)e=w(this,e,t,0),a=!P(e)||e!==this._$AH&&e!==A,a&&(this._$AH=e);else{let d=e,o,c;for(e=i[0],o=0;o<i.length-1;o++)c=w(this,d[s+o],t,o),c===A&&(c=this._$AH[o]),a||=!P(c)||c!==this._$AH[o],c===l?e=l:e!==l&&(e+=(c??"")+i[o+1]),this._$AH[o]=c}a&&!n&&this.j(e)}j(e){e===l?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},G=class extends E{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===l?void 0:e}},J=class extends E{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==l)}},X=class extends E{constructor(e,t,s,n,i){super(e,t,s,n,i),this.type=5}_$AI(e,t=this){if((e=w(this,e,t,0)??l)===A)return;let s=this._$AH,n=e===l&&s!==l||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,i=e!==l&&(s===l||n);n&&this.element.removeEventListener(this.name,this,s),i&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},ee=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){w(this,e)}};var Je=te.litHtmlPolyfillSupport;Je?.(R,L),(te.litHtmlVersions??=[]).push("3.3.3");var Ae=(r,e,t)=>{let s=t?.renderBefore??e,n=s._$litPart$;if(n===void 0){let i=t?.renderBefore??null;s._$litPart$=n=new L(e.insertBefore(N(),i),i,void 0,t??{})}return n._$AI(r),n};var re=globalThis,v=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=Ae(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return A}};v._$litElement$=!0,v.finalized=!0,re.litElementHydrateSupport?.({LitElement:v});var Xe=re.litElementPolyfillSupport;Xe?.({LitElement:v});(re.litElementVersions??=[]).push("4.2.2");var ie="pressure_mask",et=["status","start_readiness","zone_limit","session_peak_pressure","sessions_today","sessions_total","therapy_time_total","pressure","phase","zone","session_elapsed","session_remaining","cooldown_ends","fault","connected","start_session","stop_session","vent","routine","target_pressure","session_duration","safety_acknowledgement"],tt=new Set(et);function ae(r){let e=new Map;for(let s of Object.values(r.entities)){if(s?.platform!==ie||!s.device_id||!s.translation_key||!tt.has(s.translation_key))continue;let n=e.get(s.device_id)??{};n[s.translation_key]=s.entity_id,e.set(s.device_id,n)}return[...e].map(([s,n])=>{let i=r.devices[s];return{deviceId:s,name:i?.name_by_user||i?.name||s,entities:n}}).sort((s,n)=>s.name.localeCompare(n.name)||s.deviceId.localeCompare(n.deviceId))}function we(r,e){let t=ae(r);return t.find(s=>s.deviceId===e)??(e?void 0:t[0])}var Ee={forehead:y`<path d="M62 62 Q100 30 138 62 L134 82 Q100 70 66 82 Z" />`,temples:y`<ellipse cx="50" cy="98" rx="9" ry="15" /><ellipse cx="150" cy="98" rx="9" ry="15" />`,under_eye:y`<path d="M66 112 Q80 122 94 112 L94 118 Q80 128 66 118 Z" /><path d="M106 112 Q120 122 134 112 L134 118 Q120 128 106 118 Z" />`,cheeks:y`<ellipse cx="70" cy="142" rx="15" ry="14" /><ellipse cx="130" cy="142" rx="15" ry="14" />`,jaw:y`<path d="M58 170 Q100 214 142 170 L146 180 Q100 226 54 180 Z" />`,neck:y`<path d="M76 214 L124 214 L128 252 L72 252 Z" />`};function Ce(r,e,t){let s=Object.keys(Ee).map(n=>y`<g class="zone ${n===r?`active ${e??""}`:""}" data-zone=${n}>${Ee[n]}</g>`);return y`<svg class="face ${t?`breathing-${t}`:""}" viewBox="0 0 200 260"
      aria-hidden="true" focusable="false">
    <path class="outline" d="M100 22 C48 22 38 70 40 110 C42 160 62 204 100 212 C138 204 158 160 160 110 C162 70 152 22 100 22 Z" />
    <path class="outline" d="M76 212 L72 254 M124 212 L128 254" />
    <ellipse class="feature" cx="80" cy="104" rx="10" ry="5" />
    <ellipse class="feature" cx="120" cy="104" rx="10" ry="5" />
    <path class="feature" d="M100 112 L95 140 L104 141" />
    <path class="feature" d="M86 166 Q100 174 114 166" />
    ${s}
  </svg>`}var Me=["forehead","temples","under_eye","cheeks","jaw","neck"];function Te(r){return r==="under_eye"?"under_eye_limit":r==="neck"?"neck_limit":"face_limit"}function j(r){return Me.includes(r??"")?r:void 0}function Z(r){let e=Math.max(0,Math.round(r)),t=Math.floor(e/3600),s=Math.floor(e%3600/60),n=String(e%60).padStart(2,"0");return t>0?`${t}:${String(s).padStart(2,"0")}:${n}`:`${s}:${n}`}function st(r,e,t){return new Intl.DateTimeFormat(e,{hour:"numeric",minute:"2-digit",timeZone:t}).format(new Date(r))}function g(r){if(r==null||r==="")return;let e=Number(r);return Number.isFinite(e)?e:void 0}var nt=new Set(["unknown","unavailable"]);function $(r){return r&&!nt.has(r.state)?r.state:void 0}function ze(r,e){let t=c=>{let p=e.entities[c];return p?r.states[p]:void 0},s=c=>g($(t(c))),n=t("zone_limit")?.attributes??{},i=t("sessions_today"),a=t("therapy_time_total"),d=$(t("safety_acknowledgement")),o=$(t("fault"));return{status:$(t("status")),statusAttributes:t("status")?.attributes??{},readiness:$(t("start_readiness")),readinessAttributes:t("start_readiness")?.attributes??{},zone:$(t("zone")),phase:$(t("phase")),fault:o==="none"?void 0:o,faultName:o&&o!=="none"&&r.formatEntityState?r.formatEntityState(t("fault")):void 0,connected:$(t("connected"))==="on",pressure:s("pressure"),peak:s("session_peak_pressure"),target:s("target_pressure"),zoneLimit:s("zone_limit"),limits:{face:g(n.face_limit),under_eye:g(n.under_eye_limit),neck:g(n.neck_limit)},elapsedS:s("session_elapsed"),remainingS:s("session_remaining"),durationMin:s("session_duration"),sessionsToday:s("sessions_today"),dailyCap:g(i?.attributes.daily_cap),sessionsTotal:s("sessions_total"),therapyTimeTotal:s("therapy_time_total"),therapyTimeUnit:a?.attributes.unit_of_measurement,cooldownEnds:$(t("cooldown_ends")),acknowledged:d===void 0?void 0:d==="on"}}function rt(r,e){return typeof e=="string"&&!Number.isNaN(Date.parse(e))?st(e,r.language,r.timeZone):void 0}function Ne(r,e){let t=`zone.${String(e)}`;return Me.includes(String(e))?r.t(t):String(e)}function it(r,e){let t=r.statusAttributes,s=r.faultName??r.fault??e.t("phase.fault"),n=e.t("status.fault_next_step"),i=j(t.fault_zone),a=g(t.fault_pressure_mmhg);return i&&a!==void 0?e.t("status.fault_zone",{fault:s,zone:Ne(e,i),pressure:Math.round(a),next_step:n}):e.t("status.fault",{fault:s,next_step:n})}function Pe(r,e,t,s){if(r==="daily_limit_reached")return s.t(`${e}.daily_limit_reached`,{sessions:t.sessionsToday??"?",cap:t.dailyCap??"?"});let n=rt(s,t.readinessAttributes.until??t.cooldownEnds);return n?s.t(`${e}.cooling_down`,{time:n}):s.t(`${e}.cooling_down_no_time`)}function Re(r,e){let{t}=e,s=r.statusAttributes;switch(r.status){case void 0:return{text:t("status.unavailable"),tone:"warning"};case"ready":return{text:r.connected?t("status.ready"):`${t("status.ready")} (${t("status.idle")})`,tone:"normal"};case"armed":{let n=typeof s.armed_until=="string"?Date.parse(s.armed_until):NaN;return{text:Number.isNaN(n)?t("status.armed_no_time"):t("status.armed",{left:Z(Math.floor((n-e.now.getTime())/1e3))}),tone:"active"}}case"breathing":return{text:t(s.breathing_phase==="out"?"status.breathing_out":"status.breathing_in",{breath:String(s.breath??"?"),breaths:String(s.breaths??"?")}),tone:"active"};case"running":{let n=Ne(e,r.zone);return s.step===void 0||s.steps===void 0?{text:t("status.running_zone",{zone:n}),tone:"active"}:{text:t("status.running",{zone:n,step:String(s.step),steps:String(s.steps),repetition:String(s.repetition??"?"),repetitions:String(s.repetitions??"?")}),tone:"active"}}case"paused":return{text:t("status.paused"),tone:"warning"};case"venting":return{text:t("status.venting"),tone:"warning"};case"cooling_down":case"daily_limit_reached":return{text:Pe(r.status,"status",r,e),tone:"normal"};case"needs_acknowledgement":return{text:t("status.needs_acknowledgement"),tone:"warning"};case"fault":return{text:it(r,e),tone:"error"};case"out_of_range":return{text:t("status.out_of_range"),tone:"warning"};default:return{text:r.status,tone:"normal"}}}function Le(r,e){let{t}=e;switch(r.readiness){case void 0:case"ready":return;case"session_active":return{text:t("readiness.session_active"),tone:"normal"};case"cooling_down":case"daily_limit_reached":return{text:Pe(r.readiness,"readiness",r,e),tone:"warning"};case"needs_acknowledgement":case"fault":case"low_battery":case"out_of_range":return{text:t(`readiness.${r.readiness}`),tone:r.readiness==="fault"?"error":"warning"};default:return{text:r.readiness,tone:"warning"}}}function He(r){let e=r.zoneLimit;if(e===void 0||e<=0)return;let t=r.pressure??0,s=t>=e?"at_limit":r.target!==void 0&&t>r.target?"above_target":"normal";return{limit:e,fraction:Math.min(1,Math.max(0,t/e)),band:s}}function Oe(r){if(r.elapsedS===void 0||r.remainingS===void 0)return;let e=r.elapsedS+r.remainingS;if(!(e<=0))return{elapsedS:r.elapsedS,remainingS:r.remainingS,fraction:Math.min(1,r.elapsedS/e)}}function Ue(r){return r&&typeof r=="object"&&"message"in r&&typeof r.message=="string"?r.message:String(r)}var oe={"card.name":"Pressure mask","card.description":"The pressure mask: face zones, pressure against the limit, session controls.","card.no_mask":"No pressure mask found. Add one in Settings > Devices & services.","card.device":"Mask","status.ready":"Ready","status.idle":"idle","status.armed":"Press the mask's button to begin ({left} left)","status.armed_no_time":"Press the mask's button to begin","status.breathing_in":"Breathe in ({breath} of {breaths})","status.breathing_out":"Breathe out ({breath} of {breaths})","status.running":"{zone}, step {step} of {steps}, repetition {repetition} of {repetitions}","status.running_zone":"{zone}","status.paused":"Paused","status.venting":"Venting","status.cooling_down":"Cooling down until {time}","status.cooling_down_no_time":"Cooling down","status.daily_limit_reached":"{sessions} of {cap} sessions today","status.needs_acknowledgement":"Read the contraindications, then turn on the safety acknowledgement","status.fault":"Safety fault: {fault}. {next_step}","status.fault_zone":"Safety fault: {fault}, {zone} at {pressure} mmHg. {next_step}","status.fault_next_step":"Check the mask and its fit, then turn on the safety acknowledgement again.","status.out_of_range":"Out of range","status.unavailable":"The mask is not available","readiness.ready":"Start is possible","readiness.session_active":"Start would be refused: a session is already running","readiness.needs_acknowledgement":"Start would be refused: the safety acknowledgement is off","readiness.cooling_down":"Start would be refused: cooling down until {time}","readiness.cooling_down_no_time":"Start would be refused: cooling down","readiness.daily_limit_reached":"Start would be refused: {sessions} of {cap} sessions today","readiness.fault":"Start would be refused: a safety fault is active","readiness.low_battery":"Start would be refused: the battery is low, charge the mask","readiness.out_of_range":"Start would be refused: the mask is out of range","zone.none":"No zone","zone.face":"Face","zone.forehead":"Forehead","zone.temples":"Temples","zone.under_eye":"Under-eye","zone.cheeks":"Cheeks","zone.jaw":"Jaw","zone.neck":"Neck","phase.idle":"Idle","phase.armed":"Armed","phase.inflating":"Inflating","phase.holding":"Holding","phase.releasing":"Releasing","phase.paused":"Paused","phase.venting":"Venting","phase.fault":"Fault","pressure.label":"Pressure","pressure.of_limit":"{pressure} of {limit} mmHg ({zone} limit)","pressure.peak":"Peak {peak} mmHg","pressure.limits":"Limits: face {face}, under-eye {under_eye}, neck {neck} mmHg","pressure.meter":"Pressure {pressure} mmHg, limit {limit} mmHg","progress.label":"Session progress","progress.text":"{elapsed} elapsed, {left} left","action.start":"Start","action.stop":"Stop","action.vent":"Vent","action.failed":"{action} failed: {message}","control.routine":"Routine","control.target_pressure":"Target pressure","control.session_duration":"Duration","control.range":"{min} to {max} {unit}","ack.label":"Safety acknowledgement","ack.on":"Given","ack.off":"Not given","ack.contraindications":"Contraindications","totals.today":"{sessions} of {cap} sessions today","totals.total":"Sessions in total: {sessions} · therapy time: {minutes} min","editor.device":"Mask"},De={en:oe};function H(r){let e=r??"en",t=De[e]??De[e.split("-")[0]]??oe;return(s,n={})=>(t[s]??oe[s]).replace(/\{(\w+)\}/g,(i,a)=>a in n?String(n[a]):i)}var at="0.1.0",U="pressure-mask-card",ot={start:"start_session",stop:"stop_session",vent:"vent"},lt="https://github.com/pressure-mask/pressure_mask/blob/main/docs/safety.md#who-should-not-use-the-mask",O=class extends v{constructor(){super(),this._now=new Date,this._drafts={}}static getStubConfig(e){let t=ae(e)[0];return t?{type:`custom:${U}`,device:t.deviceId}:{type:`custom:${U}`}}static getConfigForm(){return{schema:[{name:"device",selector:{device:{integration:ie}}}],computeLabel:()=>H(navigator.language)("editor.device")}}setConfig(e){if(!e||typeof e!="object")throw new Error("Invalid configuration");this._config=e}getCardSize(){return 9}getGridOptions(){return{columns:12,min_columns:6,rows:"auto"}}connectedCallback(){super.connectedCallback(),this._timer=setInterval(()=>this._now=new Date,1e3)}disconnectedCallback(){super.disconnectedCallback(),clearInterval(this._timer)}shouldUpdate(e){if(!e.has("hass")||e.size>1)return!0;let t=e.get("hass"),s=this._mask();return!t||!s||t.language!==this.hass?.language||t.themes!==this.hass?.themes?!0:Object.values(s.entities).some(n=>t.states[n]!==this.hass?.states[n])}willUpdate(){let e=this._mask(),t=e?this._state(e,"status")?.state:void 0;t!==this._lastStatus&&(this._lastStatus!==void 0&&(this._error=void 0),this._lastStatus=t)}_mask(){return this.hass?we(this.hass,this._config?.device):void 0}_t(){return H(this.hass?.locale?.language??this.hass?.language)}_context(){let e=this.hass?.locale?.language??this.hass?.language??"en",t=this.hass?.locale?.time_zone==="local"?void 0:this.hass?.config?.time_zone;return{t:this._t(),language:e,timeZone:t,now:this._now}}_state(e,t){let s=e.entities[t];return s?this.hass?.states[s]:void 0}async _call(e,t,s,n){if(this.hass){this._error=void 0;try{await this.hass.callService(t,s,n,void 0,!1)}catch(i){this._error=this._t()("action.failed",{action:e,message:Ue(i)})}}}_press(e,t){let s=e.entities[ot[t]];s&&this._call(this._t()(`action.${t}`),"button","press",{entity_id:s})}render(){let e=this._t(),t=this._mask();if(!this.hass||!t)return h`<ha-card><p class="empty">${e("card.no_mask")}</p></ha-card>`;let s=this._context(),n=ze(this.hass,t),i=Re(n,s),a=Le(n,s),d=n.status==="breathing"?n.statusAttributes.breathing_phase==="out"?"out":"in":void 0,o=n.status==="running"?j(n.zone):void 0,c=o&&n.phase?e(`phase.${n.phase}`):void 0;return h`<ha-card>
      <div class="header">
        <h2 class="name">${t.name}</h2>
        ${this._renderAcknowledgementChip(n,e)}
      </div>
      <div class="body">
        <figure class="face-figure">
          ${Ce(o,n.phase,d)}
          <figcaption aria-hidden="true">
            ${o?h`${e(`zone.${o}`)}${c?h` · ${c}`:l}`:l}
          </figcaption>
        </figure>
        <div class="info">
          <p class="status tone-${i.tone}" role="status" aria-live="polite" data-testid="status">
            ${i.text}
          </p>
          ${this._renderMeter(n,e)} ${this._renderProgress(n,e)}
        </div>
      </div>
      ${a?h`<p id="readiness" class="readiness tone-${a.tone}" data-testid="readiness">
            ${a.text}
          </p>`:l}
      ${this._error?h`<p class="error" role="alert" data-testid="error">${this._error}</p>`:l}
      <div class="actions">
        <button
          class="start"
          aria-describedby=${a?"readiness":l}
          @click=${()=>this._press(t,"start")}
        >
          ${e("action.start")}
        </button>
        <button class="stop" @click=${()=>this._press(t,"stop")}>${e("action.stop")}</button>
        <button class="vent" @click=${()=>this._press(t,"vent")}>${e("action.vent")}</button>
      </div>
      <div class="controls">
        ${this._renderRoutine(t,e)} ${this._renderNumber(t,"target_pressure",e)}
        ${this._renderNumber(t,"session_duration",e)}
      </div>
      ${this._renderAcknowledgement(t,n,e)} ${this._renderTotals(n,e)}
    </ha-card>`}_renderAcknowledgementChip(e,t){return e.acknowledged===void 0?l:h`<span class="chip ${e.acknowledged?"on":"off"}">
      ${t("ack.label")}: ${t(e.acknowledged?"ack.on":"ack.off")}
    </span>`}_renderMeter(e,t){let s=He(e);if(!s)return l;let n=Math.round(e.pressure??0),i=t(`zone.${Te(e.zone)==="face_limit"?"face":j(e.zone)}`),a=e.limits;return h`<div class="meter-block">
      <div
        class="meter band-${s.band}"
        role="meter"
        aria-label=${t("pressure.label")}
        aria-valuemin="0"
        aria-valuemax=${s.limit}
        aria-valuenow=${n}
        aria-valuetext=${t("pressure.meter",{pressure:n,limit:s.limit})}
      >
        <div class="fill" style="width: ${(s.fraction*100).toFixed(1)}%"></div>
        ${e.target!==void 0&&e.target<s.limit?h`<div class="target" style="left: ${(e.target/s.limit*100).toFixed(1)}%"></div>`:l}
      </div>
      <p class="meter-text">
        <span data-testid="pressure">${t("pressure.of_limit",{pressure:n,limit:s.limit,zone:i})}</span>
        ${e.peak!==void 0?h`<span class="peak">${t("pressure.peak",{peak:Math.round(e.peak)})}</span>`:l}
      </p>
      ${a.face!==void 0&&a.under_eye!==void 0&&a.neck!==void 0?h`<p class="limits">
            ${t("pressure.limits",{face:a.face,under_eye:a.under_eye,neck:a.neck})}
          </p>`:l}
    </div>`}_renderProgress(e,t){let s=Oe(e);if(!s)return l;let n=t("progress.text",{elapsed:Z(s.elapsedS),left:Z(s.remainingS)});return h`<div class="progress-block">
      <div
        class="progress"
        role="progressbar"
        aria-label=${t("progress.label")}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(s.fraction*100)}
        aria-valuetext=${n}
      >
        <div class="fill" style="width: ${(s.fraction*100).toFixed(1)}%"></div>
      </div>
      <p class="progress-text" data-testid="progress">${n}</p>
    </div>`}_renderRoutine(e,t){let s=this._state(e,"routine");if(!s)return l;let n=s.attributes.options??[],i=a=>this.hass?.formatEntityState?.(s,a)??a;return h`<label class="control">
      <span class="control-name">${t("control.routine")}</span>
      <select
        .value=${s.state}
        ?disabled=${s.state==="unavailable"}
        @change=${a=>this._call(t("control.routine"),"select","select_option",{entity_id:s.entity_id,option:a.target.value})}
      >
        ${n.map(a=>h`<option value=${a} ?selected=${a===s.state}>${i(a)}</option>`)}
      </select>
    </label>`}_renderNumber(e,t,s){let n=this._state(e,t);if(!n)return l;let i=n.attributes,a=g(i.min)??0,d=g(i.max)??100,o=g(i.step)??1,c=String(i.unit_of_measurement??""),p=this._drafts[t]??g(n.state),u=s(`control.${t}`),m=s("control.range",{min:a,max:d,unit:c});return h`<label class="control">
      <span class="control-name">${u}</span>
      <span class="control-value">${p??"–"} ${c}</span>
      <input
        type="range"
        min=${a}
        max=${d}
        step=${o}
        .value=${String(p??a)}
        aria-valuetext="${p??""} ${c}"
        ?disabled=${p===void 0}
        @input=${f=>{this._drafts={...this._drafts,[t]:Number(f.target.value)}}}
        @change=${async f=>{await this._call(u,"number","set_value",{entity_id:n.entity_id,value:Number(f.target.value)});let{[t]:C,...Ie}=this._drafts;this._drafts=Ie}}
      />
      <span class="control-range">${m}</span>
    </label>`}_renderAcknowledgement(e,t,s){let n=e.entities.safety_acknowledgement;if(!n)return l;let i=this.hass?.states[n]?.attributes.friendly_name;return h`<div class="ack">
      <button
        class="toggle ${t.acknowledged?"on":"off"}"
        role="switch"
        aria-checked=${t.acknowledged?"true":"false"}
        aria-label=${s("ack.label")}
        title=${typeof i=="string"?i:s("ack.label")}
        @click=${()=>this._call(s("ack.label"),"switch",t.acknowledged?"turn_off":"turn_on",{entity_id:n})}
      >
        <span class="knob"></span>
      </button>
      <span class="ack-text">${s("ack.label")}: ${s(t.acknowledged?"ack.on":"ack.off")}</span>
      <a href=${lt} target="_blank" rel="noreferrer">${s("ack.contraindications")}</a>
    </div>`}_renderTotals(e,t){let s=[];if(e.sessionsToday!==void 0&&e.dailyCap!==void 0&&s.push(t("totals.today",{sessions:e.sessionsToday,cap:e.dailyCap})),e.sessionsTotal!==void 0&&e.therapyTimeTotal!==void 0){let n=e.therapyTimeUnit==="s"?e.therapyTimeTotal/60:e.therapyTimeUnit==="h"?e.therapyTimeTotal*60:e.therapyTimeTotal;s.push(t("totals.total",{sessions:e.sessionsTotal,minutes:Math.round(n)}))}return s.length?h`<p class="totals">${s.join(" · ")}</p>`:l}};O.properties={hass:{attribute:!1},_config:{state:!0},_error:{state:!0},_now:{state:!0},_drafts:{state:!0}},O.styles=F`
    :host {
      --pm-active: var(--primary-color);
      --pm-warning: var(--warning-color, #ffa600);
      --pm-error: var(--error-color, #db4437);
      --pm-track: var(--secondary-background-color, #e5e5e5);
    }
    ha-card {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 12px;
      color: var(--primary-text-color);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    .name {
      margin: 0;
      font-size: var(--ha-font-size-xl, 20px);
      font-weight: var(--ha-font-weight-normal, 400);
    }
    .chip {
      font-size: var(--ha-font-size-s, 12px);
      padding: 2px 10px;
      border-radius: 12px;
      border: 1px solid var(--divider-color);
    }
    .chip.on {
      color: var(--success-color, #43a047);
      border-color: currentColor;
    }
    .chip.off {
      color: var(--pm-warning);
      border-color: currentColor;
    }
    .body {
      display: flex;
      flex-wrap: wrap;
      gap: 16px;
      align-items: center;
    }
    .face-figure {
      margin: 0;
      flex: 0 0 128px;
      text-align: center;
    }
    .face {
      width: 128px;
      height: auto;
      transition: transform 3s ease-in-out;
    }
    .face.breathing-in {
      transform: scale(1.06);
    }
    .face.breathing-out {
      transform: scale(0.96);
    }
    .face .outline,
    .face .feature {
      fill: none;
      stroke: var(--secondary-text-color);
      stroke-width: 2;
      stroke-linecap: round;
    }
    .face .zone {
      fill: var(--disabled-color, #bdbdbd);
      opacity: 0.35;
      transition: opacity 0.5s, fill 0.5s;
    }
    .face .zone.active {
      fill: var(--pm-active);
      opacity: 0.9;
    }
    .face .zone.active.inflating {
      animation: inflate 1s ease-in-out infinite alternate;
    }
    .face .zone.active.releasing {
      opacity: 0.5;
    }
    @keyframes inflate {
      from {
        opacity: 0.55;
      }
      to {
        opacity: 1;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .face,
      .face .zone {
        transition: none;
        animation: none !important;
      }
    }
    figcaption {
      min-height: 1.4em;
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .info {
      flex: 1 1 220px;
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: 0;
    }
    .status {
      margin: 0;
      font-size: var(--ha-font-size-l, 16px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    p {
      margin: 0;
    }
    .tone-active {
      color: var(--pm-active);
    }
    .tone-warning {
      color: var(--pm-warning);
    }
    .tone-error {
      color: var(--pm-error);
    }
    .meter,
    .progress {
      position: relative;
      height: 10px;
      border-radius: 5px;
      background: var(--pm-track);
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--pm-active);
      transition: width 0.4s;
    }
    .meter.band-above_target .fill {
      background: var(--pm-warning);
    }
    .meter.band-at_limit .fill {
      background: var(--pm-error);
    }
    .target {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 2px;
      background: var(--primary-text-color);
    }
    .meter-text,
    .progress-text,
    .limits,
    .totals,
    .control-range {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 13px);
    }
    .meter-text {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 4px 12px;
    }
    .readiness {
      font-size: var(--ha-font-size-m, 14px);
    }
    .error {
      color: var(--pm-error);
      border-left: 3px solid var(--pm-error);
      padding-left: 8px;
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    .actions button {
      flex: 1 1 0;
      min-height: 44px;
      border: none;
      border-radius: 8px;
      font: inherit;
      font-weight: var(--ha-font-weight-medium, 500);
      cursor: pointer;
      color: var(--text-primary-color, #fff);
    }
    .actions .start {
      background: var(--primary-color);
    }
    .actions .stop {
      background: var(--pm-error);
    }
    .actions .vent {
      background: var(--pm-warning);
      color: var(--primary-text-color);
    }
    button:focus-visible,
    select:focus-visible,
    input:focus-visible,
    a:focus-visible {
      outline: 2px solid var(--primary-color);
      outline-offset: 2px;
    }
    .controls {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
      gap: 12px;
    }
    .control {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 2px 8px;
      align-items: center;
    }
    .control select,
    .control input,
    .control-range {
      grid-column: 1 / -1;
    }
    .control-value {
      font-weight: var(--ha-font-weight-medium, 500);
    }
    select {
      font: inherit;
      padding: 6px;
      border-radius: 6px;
      border: 1px solid var(--divider-color);
      background: var(--card-background-color, var(--ha-card-background));
      color: var(--primary-text-color);
    }
    input[type="range"] {
      width: 100%;
      accent-color: var(--primary-color);
    }
    .ack {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      border-top: 1px solid var(--divider-color);
      padding-top: 12px;
    }
    .ack-text {
      flex: 1 1 auto;
    }
    a {
      color: var(--primary-color);
    }
    .toggle {
      width: 40px;
      height: 24px;
      border-radius: 12px;
      border: none;
      padding: 2px;
      cursor: pointer;
      background: var(--disabled-color, #bdbdbd);
      display: flex;
    }
    .toggle.on {
      background: var(--primary-color);
      justify-content: flex-end;
    }
    .knob {
      width: 20px;
      height: 20px;
      border-radius: 50%;
      background: var(--card-background-color, #fff);
    }
    .empty {
      color: var(--secondary-text-color);
    }
  `;customElements.get(U)||(customElements.define(U,O),(window.customCards??=[]).push({type:U,name:H(navigator.language)("card.name"),description:H(navigator.language)("card.description"),preview:!0,documentationURL:"https://github.com/pressure-mask/pressure_mask#the-dashboard-card"}),console.info(`%c PRESSURE-MASK-CARD %c ${at} `,"font-weight: bold",""));export{U as CARD_TYPE,at as CARD_VERSION,O as PressureMaskCard};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
